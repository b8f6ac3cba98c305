// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-compliance",
    "version": "1",
    "description": "Infra Hub compliance: the active rule packs, evaluations of each tenant's discovered assets against them, the findings they keep (open, resolved, suppressed with a reason, an expiry and an approver), posture per framework, control, system and owner with its trend, and checks of Terraform plans for change control. Every route but /health needs a Backstage token or a machine API key; reading needs infra.findings.read in the tenant, running evaluations, checking plans and suppressing findings infra.compliance-audit.run (suppressing: a signed-in person only).",
    "license": {
      "name": "Apache-2.0",
      "url": "http://www.apache.org/licenses/LICENSE-2.0.html"
    }
  },
  "servers": [
    {
      "url": "/"
    }
  ],
  "security": [
    {
      "JWT": []
    }
  ],
  "paths": {
    "/health": {
      "get": {
        "operationId": "GetHealth",
        "security": [],
        "responses": {
          "200": {
            "description": "Serving.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "status": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/rules": {
      "get": {
        "operationId": "ListRules",
        "summary": "The active rule set: its packs, frameworks (with their controls) and rules, its version digest, and the reason the last reload was refused while it stays refused. Any signed-in user or service.",
        "responses": {
          "200": {
            "description": "The rule set.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "version",
                    "packs",
                    "frameworks",
                    "rules"
                  ],
                  "properties": {
                    "version": {
                      "type": "string"
                    },
                    "packs": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "frameworks": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "rules": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "lastReloadError": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/tenants/{tenantId}/evaluations": {
      "get": {
        "operationId": "ListEvaluations",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/limit"
          }
        ],
        "responses": {
          "200": {
            "description": "Evaluations, newest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Evaluation"
                      }
                    }
                  }
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "StartEvaluation",
        "summary": "Evaluate the tenant's discovered assets now (or return the evaluation already running). Poll the evaluation, or listen on the signal channel `infra-compliance:evaluations:<tenantId>`.",
        "responses": {
          "202": {
            "description": "Started.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Evaluation"
                }
              }
            }
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/evaluations/{evaluationId}": {
      "get": {
        "operationId": "GetEvaluation",
        "responses": {
          "200": {
            "description": "The evaluation.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Evaluation"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "evaluationId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "format": "uuid"
            }
          }
        ]
      }
    },
    "/tenants/{tenantId}/findings": {
      "get": {
        "operationId": "ListFindings",
        "summary": "Findings, most severe first; `format=csv` downloads the page as a CSV file.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "status",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "resolved",
                "suppressed"
              ]
            }
          },
          {
            "name": "severity",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "critical",
                "high",
                "medium",
                "low",
                "info"
              ]
            }
          },
          {
            "name": "framework",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "control",
            "in": "query",
            "description": "A control of `framework`.",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "ruleId",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "resourceId",
            "in": "query",
            "description": "The asset id.",
            "schema": {
              "type": "string",
              "maxLength": 2048
            }
          },
          {
            "name": "system",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          },
          {
            "name": "owner",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 63
            }
          },
          {
            "name": "after",
            "in": "query",
            "description": "Paging cursor from nextAfter.",
            "schema": {
              "type": "string",
              "maxLength": 600
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "format",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "json",
                "csv"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of findings.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items",
                    "total"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/Finding"
                      }
                    },
                    "total": {
                      "type": "integer"
                    },
                    "nextAfter": {
                      "type": "string"
                    }
                  }
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/findings/{findingId}": {
      "get": {
        "operationId": "GetFinding",
        "responses": {
          "200": {
            "description": "The finding and its history.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Finding"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/findingId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/findings/{findingId}/suppression": {
      "put": {
        "operationId": "SuppressFinding",
        "summary": "Accept the finding's risk until `expiresAt` (at most 366 days away), for a reason; the signed-in caller is the approver. Replaces a suppression in force. A resolved finding cannot be suppressed (409).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "reason": {
                    "type": "string",
                    "maxLength": 4000
                  },
                  "expiresAt": {
                    "type": "string",
                    "maxLength": 64
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The finding, suppressed.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Finding"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/findingId"
          }
        ]
      },
      "delete": {
        "operationId": "UnsuppressFinding",
        "summary": "Lift the suppression; the finding is open until an evaluation passes it.",
        "responses": {
          "200": {
            "description": "The finding, open.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Finding"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/findingId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/posture": {
      "get": {
        "operationId": "GetPosture",
        "summary": "Every framework's posture after the latest successful evaluation, and the finding counts by status and severity.",
        "responses": {
          "200": {
            "description": "The posture.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "frameworks",
                    "findings"
                  ],
                  "properties": {
                    "evaluationId": {
                      "type": "string"
                    },
                    "evaluatedAt": {
                      "type": "string"
                    },
                    "ruleSetVersion": {
                      "type": "string"
                    },
                    "frameworks": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "findings": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/posture/{framework}": {
      "get": {
        "operationId": "GetFrameworkPosture",
        "summary": "One framework: each control with its result counts and status, and the pass rate of each system and owner (from the assets' System and Owner tags; '' for untagged).",
        "responses": {
          "200": {
            "description": "The framework's posture.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "framework",
                    "title",
                    "controls",
                    "systems",
                    "owners"
                  ],
                  "properties": {
                    "framework": {
                      "type": "string"
                    },
                    "title": {
                      "type": "string"
                    },
                    "version": {
                      "type": "string"
                    },
                    "controls": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "systems": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "owners": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  }
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/framework"
          }
        ]
      }
    },
    "/tenants/{tenantId}/posture/{framework}/trend": {
      "get": {
        "operationId": "GetPostureTrend",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/framework"
          },
          {
            "$ref": "#/components/parameters/limit"
          }
        ],
        "responses": {
          "200": {
            "description": "The framework's pass rate per successful evaluation, oldest first.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "framework",
                    "points"
                  ],
                  "properties": {
                    "framework": {
                      "type": "string"
                    },
                    "points": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  }
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/plan-checks": {
      "post": {
        "operationId": "CheckPlan",
        "summary": "Check a Terraform plan (`terraform show -json`, the body as it is) against the active rules; nothing is stored. Values known only after apply are reported as unknown. Change control calls this for every uploaded plan.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The failing and unknown results, worst first, and counts.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "ruleSetVersion",
                    "resources",
                    "counts",
                    "findings"
                  ],
                  "properties": {
                    "ruleSetVersion": {
                      "type": "string"
                    },
                    "resources": {
                      "type": "integer"
                    },
                    "counts": {
                      "type": "object"
                    },
                    "findings": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  }
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/poam": {
      "get": {
        "operationId": "ListPoamItems",
        "summary": "The POA&M: an item drafted for every open finding after each evaluation (due by severity: critical 15 days, high 30, medium 90, low 180, info 365), soonest due first.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "state",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "open",
                "in_progress",
                "verification",
                "closed"
              ]
            }
          },
          {
            "name": "after",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 600
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of items.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "nextAfter": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/tenants/{tenantId}/poam/{itemId}": {
      "get": {
        "operationId": "GetPoamItem",
        "responses": {
          "200": {
            "description": "The item, its milestones and transitions.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/itemId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/poam/{itemId}/transitions": {
      "post": {
        "operationId": "TransitionPoamItem",
        "summary": "Move an item: open → in_progress → verification → closed (back from verification to in_progress, from in_progress to open). Closing needs the finding resolved by an evaluation. Any other move is a 409 naming the allowed ones.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "to"
                ],
                "properties": {
                  "to": {
                    "type": "string",
                    "enum": [
                      "open",
                      "in_progress",
                      "verification",
                      "closed"
                    ]
                  },
                  "comment": {
                    "type": "string",
                    "maxLength": 2000
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The item after the move.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/itemId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/frameworks": {
      "get": {
        "operationId": "ListTenantFrameworks",
        "summary": "The frameworks the tenant defined for itself (those of the rule packs are in GET /rules).",
        "responses": {
          "200": {
            "description": "The tenant's frameworks.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    }
                  }
                }
              }
            }
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/frameworks/{frameworkId}": {
      "put": {
        "operationId": "PutTenantFramework",
        "summary": "Define or replace one of the tenant's frameworks: its controls, and which rules of the active packs support which control (`mappings`). Checked against the rules; the tenant is evaluated again at once. Needs infra.frameworks.manage (tenant-admin).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "title",
                  "controls",
                  "mappings"
                ],
                "properties": {
                  "title": {
                    "type": "string"
                  },
                  "version": {
                    "type": "string"
                  },
                  "controls": {
                    "type": "array",
                    "items": {
                      "type": "object"
                    }
                  },
                  "mappings": {
                    "type": "object"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Replaced.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "201": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "frameworkId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 63
            }
          }
        ]
      },
      "delete": {
        "operationId": "DeleteTenantFramework",
        "responses": {
          "204": {
            "description": "Deleted; the tenant is evaluated again."
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "frameworkId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 63
            }
          }
        ]
      }
    },
    "/tenants/{tenantId}/oscal/assessment-results": {
      "get": {
        "operationId": "ExportAssessmentResults",
        "summary": "The latest evaluation against one framework as OSCAL 1.1.2 assessment-results (a file): every control of the framework reviewed, a finding per assessed control, the failing checks as observations and risks.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "framework",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The OSCAL document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/oscal/poam": {
      "get": {
        "operationId": "ExportPoam",
        "summary": "The POA&M as OSCAL 1.1.2 plan-of-action-and-milestones (a file), optionally only the items of one framework.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "framework",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The OSCAL document.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/evidence": {
      "get": {
        "operationId": "ListEvidence",
        "summary": "The evidence of the tenant's evaluations, newest first: one record per successful evaluation, sealed (signed with ML-DSA-65 and Ed25519 by the installation's keys) or with the reason it is not yet.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string"
            }
          },
          {
            "name": "before",
            "in": "query",
            "description": "An evaluation time (the previous page's nextBefore).",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "A page of evidence records.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items"
                  ],
                  "properties": {
                    "items": {
                      "type": "array",
                      "items": {
                        "$ref": "#/components/schemas/EvidenceRecord"
                      }
                    },
                    "nextBefore": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/tenants/{tenantId}/evidence/{evaluationId}/bundle": {
      "get": {
        "operationId": "DownloadEvidenceBundle",
        "summary": "The sealed evidence of one evaluation (`latest`: the newest sealed one) for a framework or one of its controls, as a file of canonical JSON: the seal and its signatures, the manifest of every control, the rule results the scope rests on and the installation's key history. `infra-verify --keys signing-keys.json <file>` checks it offline.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/evaluationRef"
          },
          {
            "name": "framework",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          },
          {
            "name": "control",
            "in": "query",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 128
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The bundle (format infra-hub-compliance-evidence/1).",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "503": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/evidence/{evaluationId}/seal": {
      "post": {
        "operationId": "SealEvidence",
        "summary": "Seal an evaluation's evidence now (it was not sealed when collected: change control or its vault could not sign). Evidence already sealed is returned as it is.",
        "responses": {
          "200": {
            "description": "The evidence record.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/EvidenceRecord"
                }
              }
            }
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "503": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "evaluationId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "format": "uuid"
            }
          }
        ]
      }
    }
  },
  "components": {
    "securitySchemes": {
      "JWT": {
        "type": "http",
        "scheme": "bearer"
      }
    },
    "parameters": {
      "tenantId": {
        "name": "tenantId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"
        }
      },
      "findingId": {
        "name": "findingId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[0-9a-f]{32}$"
        }
      },
      "itemId": {
        "name": "itemId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "format": "uuid"
        }
      },
      "evaluationRef": {
        "name": "evaluationId",
        "in": "path",
        "required": true,
        "description": "An evaluation id, or `latest`.",
        "schema": {
          "type": "string",
          "pattern": "^(latest|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$"
        }
      },
      "framework": {
        "name": "framework",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "minLength": 1,
          "maxLength": 128
        }
      },
      "limit": {
        "name": "limit",
        "in": "query",
        "schema": {
          "type": "string",
          "pattern": "^[0-9]{1,4}$"
        }
      }
    },
    "responses": {
      "Error": {
        "description": "An error, in Backstage's error format.",
        "content": {
          "application/json": {
            "schema": {
              "type": "object",
              "properties": {
                "error": {
                  "type": "object",
                  "properties": {
                    "name": {
                      "type": "string"
                    },
                    "message": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "schemas": {
      "EvidenceRecord": {
        "type": "object",
        "required": [
          "evaluationId",
          "evaluatedAt",
          "ruleSetVersion",
          "controls",
          "frameworks",
          "sealed"
        ],
        "properties": {
          "evaluationId": {
            "type": "string"
          },
          "evaluatedAt": {
            "type": "string"
          },
          "ruleSetVersion": {
            "type": "string"
          },
          "controls": {
            "type": "integer"
          },
          "frameworks": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "sealed": {
            "type": "boolean"
          },
          "keyId": {
            "type": "string"
          },
          "sealedAt": {
            "type": "string"
          },
          "sealError": {
            "type": "string"
          }
        }
      },
      "Counts": {
        "type": "object",
        "properties": {
          "pass": {
            "type": "integer"
          },
          "fail": {
            "type": "integer"
          },
          "unknown": {
            "type": "integer"
          },
          "error": {
            "type": "integer"
          }
        }
      },
      "Evaluation": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "status",
          "trigger",
          "actor",
          "startedAt",
          "ruleSetVersion"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "running",
              "succeeded",
              "failed"
            ]
          },
          "trigger": {
            "type": "string",
            "enum": [
              "manual",
              "graph-changed",
              "schedule",
              "rules-changed"
            ]
          },
          "actor": {
            "type": "string"
          },
          "startedAt": {
            "type": "string"
          },
          "finishedAt": {
            "type": "string"
          },
          "ruleSetVersion": {
            "type": "string"
          },
          "assets": {
            "type": "integer"
          },
          "counts": {
            "$ref": "#/components/schemas/Counts"
          },
          "frameworks": {
            "type": "array",
            "items": {
              "type": "object"
            }
          },
          "error": {
            "type": "string"
          }
        }
      },
      "Finding": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "ruleId",
          "title",
          "severity",
          "status",
          "resourceId",
          "resourceType",
          "resourceName",
          "controls",
          "remediation",
          "firstSeenAt",
          "lastSeenAt",
          "evaluationId"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "ruleId": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "severity": {
            "type": "string"
          },
          "status": {
            "type": "string",
            "enum": [
              "open",
              "resolved",
              "suppressed"
            ]
          },
          "resourceId": {
            "type": "string"
          },
          "resourceType": {
            "type": "string"
          },
          "resourceName": {
            "type": "string"
          },
          "system": {
            "type": "string"
          },
          "owner": {
            "type": "string"
          },
          "controls": {
            "type": "object"
          },
          "message": {
            "type": "string"
          },
          "remediation": {
            "type": "string"
          },
          "firstSeenAt": {
            "type": "string"
          },
          "lastSeenAt": {
            "type": "string"
          },
          "resolvedAt": {
            "type": "string"
          },
          "suppression": {
            "type": "object",
            "properties": {
              "reason": {
                "type": "string"
              },
              "expiresAt": {
                "type": "string"
              },
              "approver": {
                "type": "string"
              },
              "at": {
                "type": "string"
              }
            }
          },
          "evaluationId": {
            "type": "string"
          },
          "history": {
            "type": "array",
            "items": {
              "type": "object"
            }
          }
        }
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
