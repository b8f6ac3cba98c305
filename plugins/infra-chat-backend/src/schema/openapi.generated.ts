// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-chat",
    "version": "1",
    "description": "Infra Hub chat: questions about a tenant's infrastructure answered from its catalog, modules, assets, attack paths, drift, change requests and findings, each answer citing its sources and built only from what the asker may read. Every route but /health needs a Backstage user or service token, or a machine API key of the tenant.",
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
  "paths": {
    "/health": {
      "get": {
        "operationId": "GetHealth",
        "summary": "Liveness of the plugin. Needs no token.",
        "security": [],
        "responses": {
          "200": {
            "description": "The plugin is serving.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "status"
                  ],
                  "properties": {
                    "status": {
                      "type": "string",
                      "enum": [
                        "ok"
                      ]
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/tenants/{tenantId}/status": {
      "get": {
        "operationId": "GetChatStatus",
        "summary": "What the chat has indexed for the tenant (items by kind, when), how it searches, and the model when one is configured. Needs infra.chat.ask.",
        "responses": {
          "200": {
            "description": "The index status.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ChatIndexStatus"
                }
              }
            }
          },
          "403": {
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
    "/tenants/{tenantId}/index": {
      "post": {
        "operationId": "ReindexTenant",
        "summary": "Index the tenant again now (it is also indexed on a schedule and when the suite reports a change). Needs infra.ai.policies.manage (tenant admins).",
        "responses": {
          "202": {
            "description": "Indexing started.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "status": {
                      "type": "string",
                      "enum": [
                        "started"
                      ]
                    }
                  }
                }
              }
            }
          },
          "403": {
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
    "/tenants/{tenantId}/search": {
      "get": {
        "operationId": "SearchChatIndex",
        "summary": "The passages the chat would cite for a question, best first, among the items the caller may read. Needs infra.chat.ask.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "q",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "entityRef",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 300
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The sources found.",
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
                        "$ref": "#/components/schemas/ChatSource"
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
    "/tenants/{tenantId}/conversations": {
      "get": {
        "operationId": "ListConversations",
        "summary": "The caller's own conversations in the tenant, most recent first. Needs infra.chat.ask.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "after",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 2048
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of conversations.",
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
                        "$ref": "#/components/schemas/Conversation"
                      }
                    },
                    "nextAfter": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          },
          "403": {
            "$ref": "#/components/responses/Error"
          }
        }
      },
      "post": {
        "operationId": "StartConversation",
        "summary": "Ask a first question: the answer and the new conversation. With `Accept: application/x-ndjson` the answer streams as JSON lines (ChatStreamEvent); the question and its answer are stored together once the answer is complete, or not at all. Needs infra.chat.ask.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ChatQuestion"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "The conversation and the answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Exchange"
                }
              },
              "application/x-ndjson": {
                "schema": {
                  "type": "string"
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
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/conversations/{conversationId}": {
      "get": {
        "operationId": "GetConversation",
        "summary": "One of the caller's conversations with its messages; another person's conversation is a 404. Needs infra.chat.ask.",
        "responses": {
          "200": {
            "description": "The conversation.",
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
          "404": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/conversationId"
          }
        ]
      },
      "delete": {
        "operationId": "DeleteConversation",
        "summary": "Delete one of the caller's conversations and its messages. Needs infra.chat.ask.",
        "responses": {
          "204": {
            "description": "Deleted."
          },
          "403": {
            "$ref": "#/components/responses/Error"
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
            "$ref": "#/components/parameters/conversationId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/conversations/{conversationId}/messages": {
      "post": {
        "operationId": "AskInConversation",
        "summary": "Ask a follow-up question in one of the caller's conversations (streams as POST /conversations does). Needs infra.chat.ask.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/ChatQuestion"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The conversation and the answer.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Exchange"
                }
              },
              "application/x-ndjson": {
                "schema": {
                  "type": "string"
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
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/conversationId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/ai/plan-summary": {
      "post": {
        "operationId": "SummarizePlan",
        "summary": "A stored plan's summary (the deterministic one). Computed from change control's data, read with the caller's rights; narrated by the model when one is configured and the caller's team policy allows the feature and change data. Marked machine-written; stores and decides nothing. Needs infra.change.read.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "planId"
                ],
                "properties": {
                  "planId": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The text, and the narration when a model wrote one.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AssistResult"
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
          "503": {
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
    "/tenants/{tenantId}/ai/risk-assessment": {
      "post": {
        "operationId": "AssessChangeRisk",
        "summary": "A change request's risk assessment: risk and why, compliance findings of its changes, approvals so far. Computed from change control's data, read with the caller's rights; narrated by the model when one is configured and the caller's team policy allows the feature and change data. Marked machine-written; stores and decides nothing. Needs infra.change.read.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "changeId"
                ],
                "properties": {
                  "changeId": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The text, and the narration when a model wrote one.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AssistResult"
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
          "503": {
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
    "/tenants/{tenantId}/ai/rollback-plan": {
      "post": {
        "operationId": "DraftRollbackPlan",
        "summary": "A rollback plan for a change request, step by step, with the requester's note. Computed from change control's data, read with the caller's rights; narrated by the model when one is configured and the caller's team policy allows the feature and change data. Marked machine-written; stores and decides nothing. Needs infra.change.read.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "changeId"
                ],
                "properties": {
                  "changeId": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The text, and the narration when a model wrote one.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AssistResult"
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
          "503": {
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
    "/tenants/{tenantId}/ai/failure-diagnosis": {
      "post": {
        "operationId": "DiagnoseFailure",
        "summary": "A failed CI run's diagnosis (the pipelines plugin's run, read with the caller's rights): its failed jobs, the error lines at the end of their logs, the likely cause and what to do next; narrated when a model is configured and the team policy allows failure-diagnosis and `changes` data. Machine-written; stores nothing. Needs infra.pipelines.read.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "runId"
                ],
                "properties": {
                  "runId": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The diagnosis.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AssistResult"
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
          }
        ]
      }
    },
    "/tenants/{tenantId}/ai/module-draft": {
      "post": {
        "operationId": "DraftModule",
        "summary": "The golden-path templates closest to a module's description and, when a model is configured and the caller's team policy allows module-scaffold, the files of a module the model drafted (to be scanned before use, as the scaffolder does). Machine-written; stores nothing. Needs infra.plan.upload.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "description"
                ],
                "properties": {
                  "description": {
                    "type": "string"
                  },
                  "name": {
                    "type": "string"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The proposals, and the drafted files when a model drafted them.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "proposals",
                    "machineWritten"
                  ],
                  "properties": {
                    "proposals": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "files": {
                      "type": "object"
                    },
                    "model": {
                      "type": "string"
                    },
                    "refusal": {
                      "type": "string"
                    },
                    "machineWritten": {
                      "type": "boolean"
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
          },
          "503": {
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
    "/tenants/{tenantId}/ai/usage": {
      "get": {
        "operationId": "ListAiUsage",
        "summary": "The usage log: every model call (user, team, feature, model, tokens, cost, latency, outcome) and every call a policy refused, newest first. Needs infra.ai.usage.read (tenant admins).",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "month",
            "in": "query",
            "schema": {
              "type": "string"
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          },
          {
            "name": "after",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 2048
            }
          }
        ],
        "responses": {
          "200": {
            "description": "One page of the log.",
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
    "/tenants/{tenantId}/ai/usage/summary": {
      "get": {
        "operationId": "SummarizeAiUsage",
        "summary": "Calls, refusals, errors, tokens and cost per team and month, for the current month and the eleven before. Needs infra.ai.usage.read.",
        "responses": {
          "200": {
            "description": "The summary, newest month first.",
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
          },
          "403": {
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
    "/tenants/{tenantId}/ai/policies": {
      "get": {
        "operationId": "ListAiPolicies",
        "summary": "The tenant's AI policies by team (a group entity ref, or default for everyone else). Without any, model calls are not limited. Needs infra.ai.usage.read.",
        "responses": {
          "200": {
            "description": "The policies.",
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
          },
          "403": {
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
    "/tenants/{tenantId}/ai/policies/{team}": {
      "put": {
        "operationId": "SetAiPolicy",
        "summary": "Set a team's policy: the features it may use, the models (empty: any), the monthly token budget (null: none) and the data classes that may be sent to a model. Audited. Needs infra.ai.policies.manage (tenant admins).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "features",
                  "dataClasses"
                ],
                "properties": {
                  "features": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "models": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "monthlyTokenBudget": {
                    "type": "integer",
                    "nullable": true
                  },
                  "dataClasses": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The policy as stored.",
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
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "team",
            "in": "path",
            "required": true,
            "description": "default, or a group entity ref (group:<namespace>/<name>), URL-encoded.",
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          }
        ]
      },
      "delete": {
        "operationId": "DeleteAiPolicy",
        "summary": "Remove a team's policy (its people fall back to default). Needs infra.ai.policies.manage.",
        "responses": {
          "204": {
            "description": "Removed."
          },
          "403": {
            "$ref": "#/components/responses/Error"
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
            "name": "team",
            "in": "path",
            "required": true,
            "description": "default, or a group entity ref (group:<namespace>/<name>), URL-encoded.",
            "schema": {
              "type": "string",
              "maxLength": 255
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
      "conversationId": {
        "name": "conversationId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "format": "uuid"
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
      "ChatQuestion": {
        "type": "object",
        "required": [
          "question"
        ],
        "properties": {
          "question": {
            "type": "string",
            "description": "At most 2000 characters."
          },
          "entityRef": {
            "type": "string",
            "description": "Ask about this catalog entity (its items rank first)."
          }
        }
      },
      "ChatSource": {
        "type": "object",
        "required": [
          "kind",
          "id",
          "title",
          "url",
          "snippet"
        ],
        "properties": {
          "kind": {
            "type": "string",
            "enum": [
              "entity",
              "module",
              "asset",
              "attack-path",
              "drift",
              "change-request",
              "finding"
            ]
          },
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "snippet": {
            "type": "string"
          }
        }
      },
      "Conversation": {
        "type": "object",
        "required": [
          "id",
          "tenantId",
          "title",
          "createdAt",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "tenantId": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "entityRef": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string"
          }
        }
      },
      "Exchange": {
        "type": "object",
        "required": [
          "conversation",
          "message"
        ],
        "properties": {
          "conversation": {
            "$ref": "#/components/schemas/Conversation"
          },
          "message": {
            "type": "object"
          }
        }
      },
      "AssistResult": {
        "type": "object",
        "required": [
          "feature",
          "subject",
          "text",
          "machineWritten"
        ],
        "properties": {
          "feature": {
            "type": "string"
          },
          "subject": {
            "type": "string"
          },
          "text": {
            "type": "string"
          },
          "narration": {
            "type": "string"
          },
          "model": {
            "type": "string"
          },
          "refusal": {
            "type": "string"
          },
          "machineWritten": {
            "type": "boolean",
            "enum": [
              true
            ]
          }
        }
      },
      "ChatIndexStatus": {
        "type": "object",
        "required": [
          "tenantId",
          "documents",
          "fullText",
          "vectors"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "documents": {
            "type": "object"
          },
          "errors": {
            "type": "object"
          },
          "indexedAt": {
            "type": "string"
          },
          "fullText": {
            "type": "string",
            "enum": [
              "tsvector",
              "fts5"
            ]
          },
          "vectors": {
            "type": "string",
            "enum": [
              "pgvector",
              "in-process",
              "off"
            ]
          },
          "embedded": {
            "type": "object"
          },
          "embedder": {
            "type": "string"
          },
          "model": {
            "type": "string"
          }
        }
      }
    }
  },
  "security": [
    {
      "JWT": []
    }
  ]
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
