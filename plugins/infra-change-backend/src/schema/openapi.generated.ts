// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-change",
    "version": "1",
    "description": "Infra Hub change control: Terraform plans and the drift they show, change requests and the change advisory board, whose approvals are signed with ML-DSA-65, evidence bundles and the compliance report. Every route but /health needs a Backstage token or a machine API key; reading needs infra.change.read in the tenant, uploading plans infra.plan.upload, opening and moving requests infra.change.request, deciding infra.change.approve.",
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
    "/tenants/{tenantId}/plans": {
      "get": {
        "operationId": "ListPlans",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "module",
            "in": "query",
            "schema": {
              "$ref": "#/components/schemas/Module"
            }
          },
          {
            "name": "before",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 100
            }
          },
          {
            "name": "run",
            "in": "query",
            "description": "Only the plans a CI run uploaded: <provider>:<repository>:<runId>.",
            "schema": {
              "type": "string",
              "maxLength": 700
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,3}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Plans, newest first, with their summary (not their attribute diffs).",
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
                    "nextBefore": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      },
      "post": {
        "operationId": "UploadPlan",
        "summary": "Upload `terraform show -json` / `tofu show -json` plan output (format 1.x) for a module. The body is the plan itself. The module is created for the tenant on its first plan; a module of another tenant is refused (403).",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "module",
            "in": "query",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Module"
            }
          },
          {
            "name": "kind",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "plan",
                "refresh-only"
              ]
            }
          },
          {
            "name": "run",
            "in": "query",
            "description": "The CI run uploading it: <provider>:<repository>:<runId>, e.g. github:acme/infra:123 (shown next to the run).",
            "schema": {
              "type": "string",
              "maxLength": 700
            }
          }
        ],
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
          "201": {
            "description": "Stored and analysed.",
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
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/plans/{planId}": {
      "get": {
        "operationId": "GetPlan",
        "responses": {
          "200": {
            "description": "The plan's analysis, with the attribute differences of drift and changes.",
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
            "name": "planId",
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
    "/tenants/{tenantId}/drift": {
      "get": {
        "operationId": "ListDrift",
        "summary": "The latest plan of each module of the tenant (the drift dashboard).",
        "responses": {
          "200": {
            "description": "One entry per module.",
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
    "/tenants/{tenantId}/modules/{moduleId}": {
      "get": {
        "operationId": "GetModule",
        "summary": "A module of the tenant, with its registration when a golden path registered it.",
        "responses": {
          "200": {
            "description": "The module.",
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
            "name": "moduleId",
            "in": "path",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Module"
            }
          }
        ]
      },
      "put": {
        "operationId": "RegisterModule",
        "summary": "Registers a module ahead of its first plan (needs infra.plan.upload): the tenant's system it belongs to, its catalog entity and the repository it was published to. Registering it again to the same repository changes nothing (200); to another repository is a 409.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "properties": {
                  "system": {
                    "type": "string",
                    "maxLength": 255
                  },
                  "entityRef": {
                    "type": "string",
                    "maxLength": 255
                  },
                  "repository": {
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
            "description": "Registered before, to the same repository.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "201": {
            "description": "Registered.",
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
          "403": {
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
            "name": "moduleId",
            "in": "path",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Module"
            }
          }
        ]
      }
    },
    "/tenants/{tenantId}/approvals": {
      "get": {
        "operationId": "GetPlanApproval",
        "summary": "CI's check before apply: whether a change request of the tenant with exactly this plan hash (the sha256 the upload answered) is approved, by whom, and whether each approval's ML-DSA-65 signature verifies. A re-plan with another hash is not approved; an applied request is not approved again. Needs infra.change.read (a machine API key of the tenant).",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "planSha256",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The answer, approved or not, with the reason.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "planSha256",
                    "approved",
                    "message",
                    "approvals"
                  ],
                  "properties": {
                    "planSha256": {
                      "type": "string"
                    },
                    "approved": {
                      "type": "boolean"
                    },
                    "message": {
                      "type": "string"
                    },
                    "changeRequest": {
                      "type": "object"
                    },
                    "approvals": {
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
          "403": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/change-requests/{changeId}/applied": {
      "post": {
        "operationId": "RecordApplied",
        "summary": "CI records the apply of an approved change request: `planSha256` must be the approved plan's and the approvals must verify; the request becomes applied, linked to `run` ({provider, repository, runId, url?}). Audited. Needs infra.change.request.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "planSha256",
                  "run"
                ],
                "properties": {
                  "planSha256": {
                    "type": "string"
                  },
                  "run": {
                    "type": "object"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The change request, applied.",
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
            "name": "changeId",
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
    "/tenants/{tenantId}/change-requests": {
      "get": {
        "operationId": "ListChangeRequests",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "state",
            "in": "query",
            "schema": {
              "$ref": "#/components/schemas/State"
            }
          },
          {
            "name": "module",
            "in": "query",
            "schema": {
              "$ref": "#/components/schemas/Module"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,3}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Change requests, newest first, with their decisions.",
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
        }
      },
      "post": {
        "operationId": "CreateChangeRequest",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "planId",
                  "rollbackNote"
                ],
                "properties": {
                  "planId": {
                    "type": "string",
                    "format": "uuid"
                  },
                  "rollbackNote": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 4000
                  },
                  "submit": {
                    "type": "boolean"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created (draft, or pending approval when `submit`).",
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
          }
        ]
      }
    },
    "/tenants/{tenantId}/change-requests/{changeId}": {
      "get": {
        "operationId": "GetChangeRequest",
        "responses": {
          "200": {
            "description": "The change request and its decisions.",
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
            "$ref": "#/components/parameters/changeId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/change-requests/{changeId}/transitions": {
      "post": {
        "operationId": "TransitionChangeRequest",
        "summary": "Submit (draft → pending_approval), cancel, or mark applied (approved → applied). Illegal transitions get 409; approval and rejection go through decisions.",
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
                    "$ref": "#/components/schemas/State"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Moved.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
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
            "$ref": "#/components/parameters/changeId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/change-requests/{changeId}/decisions": {
      "post": {
        "operationId": "DecideChangeRequest",
        "summary": "Approve (signed with ML-DSA-65 before anything is stored; 503 and nothing stored when it cannot be signed) or reject, with a comment. The requester gets 403; a second decision by the same approver, or a decision on a request no longer pending, 409.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "decision",
                  "comment"
                ],
                "properties": {
                  "decision": {
                    "type": "string",
                    "enum": [
                      "approve",
                      "reject"
                    ]
                  },
                  "comment": {
                    "type": "string",
                    "maxLength": 4000
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Recorded; the change request as it is now.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
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
            "$ref": "#/components/parameters/changeId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/change-requests/{changeId}/decisions/{decisionId}/verification": {
      "get": {
        "operationId": "VerifyDecision",
        "responses": {
          "200": {
            "description": "`{ valid, checks }`: the signature, and that its payload is about this change.",
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
            "$ref": "#/components/parameters/changeId"
          },
          {
            "name": "decisionId",
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
    "/tenants/{tenantId}/change-requests/{changeId}/evidence": {
      "get": {
        "operationId": "GetEvidence",
        "summary": "The evidence bundle of an approved change, one file (canonical JSON), sealed with the installation's key; `yarn infra-verify <file>` verifies it offline.",
        "responses": {
          "200": {
            "description": "The bundle.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              }
            }
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
            "$ref": "#/components/parameters/changeId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/report": {
      "get": {
        "operationId": "GetReport",
        "summary": "Changes, approvers, times, risk and signature status, as JSON or CSV.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
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
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,5}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The report.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object"
                }
              },
              "text/csv": {
                "schema": {
                  "type": "string"
                }
              }
            }
          }
        }
      }
    },
    "/signing-keys": {
      "get": {
        "operationId": "ListSigningKeys",
        "summary": "The installation's signing key history, oldest first (retired keys kept for verification); each key after the first carries the previous key's signature over its rotation. Saved as a file, it is what `infra-verify --keys` checks evidence against.",
        "responses": {
          "200": {
            "description": "The key history (format infra-hub-signing-keys/1).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/KeyHistory"
                }
              }
            }
          }
        }
      }
    },
    "/signing-keys/rotate": {
      "post": {
        "operationId": "RotateSigningKey",
        "summary": "Retire the active key and make a new one (needs infra.system.settings).",
        "responses": {
          "200": {
            "description": "The key history after rotation.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/KeyHistory"
                }
              }
            }
          },
          "503": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/signatures/compliance-evidence": {
      "post": {
        "operationId": "SignComplianceEvidence",
        "summary": "Sign the seal of one compliance evaluation's evidence with the active key, ML-DSA-65 and its Ed25519 companion. Only the infra-compliance backend plugin, as itself, may call this; users, API keys and other plugins get 403. Each signature is an audited use of the key's vault credentials.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/EvidenceSeal"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The signature with both algorithms.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/HybridSignature"
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
          "503": {
            "$ref": "#/components/responses/Error"
          }
        }
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
      "changeId": {
        "name": "changeId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "format": "uuid"
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
      "KeyHistory": {
        "type": "object",
        "required": [
          "format",
          "items"
        ],
        "properties": {
          "format": {
            "type": "string",
            "enum": [
              "infra-hub-signing-keys/1"
            ]
          },
          "items": {
            "type": "array",
            "items": {
              "type": "object",
              "required": [
                "keyId",
                "algorithm",
                "publicKey",
                "createdAt"
              ],
              "properties": {
                "keyId": {
                  "type": "string"
                },
                "algorithm": {
                  "type": "string"
                },
                "publicKey": {
                  "type": "string",
                  "description": "base64"
                },
                "createdAt": {
                  "type": "string"
                },
                "retiredAt": {
                  "type": "string"
                },
                "previousKeyId": {
                  "type": "string"
                },
                "endorsement": {
                  "type": "string",
                  "description": "The previous key's ML-DSA-65 signature over the rotation statement."
                },
                "ed25519": {
                  "type": "object",
                  "description": "The key's Ed25519 companion, bound by the key's ML-DSA-65 signature (binding) and its own (proof) over the binding statement.",
                  "required": [
                    "publicKey",
                    "createdAt",
                    "binding",
                    "proof"
                  ],
                  "properties": {
                    "publicKey": {
                      "type": "string",
                      "description": "base64"
                    },
                    "createdAt": {
                      "type": "string"
                    },
                    "binding": {
                      "type": "string"
                    },
                    "proof": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        }
      },
      "EvidenceSeal": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "type",
          "tenant",
          "evaluationId",
          "finishedAt",
          "manifestSha256"
        ],
        "properties": {
          "type": {
            "type": "string",
            "enum": [
              "infra-hub.compliance-evidence/1"
            ]
          },
          "tenant": {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"
          },
          "evaluationId": {
            "type": "string",
            "format": "uuid"
          },
          "finishedAt": {
            "type": "string",
            "format": "date-time"
          },
          "manifestSha256": {
            "type": "string",
            "pattern": "^[0-9a-f]{64}$"
          }
        }
      },
      "HybridSignature": {
        "type": "object",
        "required": [
          "keyId",
          "algorithms",
          "mlDsa65",
          "ed25519"
        ],
        "properties": {
          "keyId": {
            "type": "string"
          },
          "algorithms": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "mlDsa65": {
            "type": "string",
            "description": "base64"
          },
          "ed25519": {
            "type": "string",
            "description": "base64"
          }
        }
      },
      "Module": {
        "type": "string",
        "pattern": "^[a-z0-9][a-z0-9._-]{0,99}$"
      },
      "State": {
        "type": "string",
        "enum": [
          "draft",
          "pending_approval",
          "approved",
          "rejected",
          "applied",
          "cancelled"
        ]
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
