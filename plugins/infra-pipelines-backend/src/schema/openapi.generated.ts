// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-pipelines",
    "version": "1",
    "description": "Infra Hub pipelines: runs of GitHub Actions, GitLab CI and Azure DevOps of a tenant, linked to the entities that claim their repositories, from signed webhooks and scheduled pulls; the tenant's connections; triggers. Every route but /health and the webhooks needs a Backstage user or service token, or a machine API key of the tenant. Webhooks are verified by the provider's scheme with the connection's secret.",
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
    "/webhooks/{tenantId}/{connectionId}": {
      "post": {
        "operationId": "ReceiveWebhook",
        "summary": "A delivery of the connection's provider: GitHub (X-Hub-Signature-256, HMAC-SHA256 of the body with the secret; workflow_run and workflow_job events), GitLab (X-Gitlab-Token equal to the secret; pipeline and job events) or Azure DevOps (Basic authentication whose password is the secret; build.complete and ms.vss-pipelines.job-state-changed-event). Needs no token: the signature is the authentication, and a connection without a secret refuses every delivery. A delivery id received before is refused (409).",
        "security": [],
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
            "description": "Stored (`status: stored`, the run's id), or ignored with the reason (an event the suite does not use, a repository no entity of the tenant claims).",
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
                        "stored",
                        "ignored"
                      ]
                    },
                    "runId": {
                      "type": "string"
                    },
                    "reason": {
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
          "401": {
            "$ref": "#/components/responses/Error"
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          },
          "413": {
            "$ref": "#/components/responses/Error"
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/connectionId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/runs": {
      "get": {
        "operationId": "ListRuns",
        "summary": "The tenant's runs, newest first (failed first with failedFirst=true), keyset-paged. Needs infra.pipelines.read.",
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
                "queued",
                "running",
                "succeeded",
                "failed",
                "cancelled",
                "skipped"
              ]
            }
          },
          {
            "name": "module",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          },
          {
            "name": "environment",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 100
            }
          },
          {
            "name": "entityRef",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 300
            }
          },
          {
            "name": "provider",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "github",
                "gitlab",
                "azure-devops"
              ]
            }
          },
          {
            "name": "failedFirst",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          },
          {
            "name": "cursor",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 2048
            }
          },
          {
            "$ref": "#/components/parameters/limit"
          }
        ],
        "responses": {
          "200": {
            "description": "A page of runs.",
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
                        "$ref": "#/components/schemas/PipelineRun"
                      }
                    },
                    "nextCursor": {
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
    "/tenants/{tenantId}/runs/{runId}": {
      "get": {
        "operationId": "GetRun",
        "summary": "A run with its jobs and the ends of its failed jobs' logs (secrets redacted). Needs infra.pipelines.read.",
        "responses": {
          "200": {
            "description": "The run.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/PipelineRun"
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
            "name": "runId",
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
    "/tenants/{tenantId}/stats": {
      "get": {
        "operationId": "GetRunStats",
        "summary": "Runs, failures and duration percentiles per day (UTC) over the last `days` (default 30). Needs infra.pipelines.read.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "days",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,3}$"
            }
          },
          {
            "name": "entityRef",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 300
            }
          },
          {
            "name": "module",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Days with runs, oldest first.",
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
          "400": {
            "$ref": "#/components/responses/Error"
          },
          "403": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/connections": {
      "get": {
        "operationId": "ListConnections",
        "summary": "The tenant's connections (never their secrets) and where each one's webhooks go. Needs infra.pipelines.manage.",
        "responses": {
          "200": {
            "description": "The connections.",
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
    "/tenants/{tenantId}/connections/{connectionId}": {
      "put": {
        "operationId": "PutConnection",
        "summary": "Creates or changes a connection: provider, name, baseUrl (within the egress policy), tokenCredentialId and webhookSecretCredentialId (vault credentials of the tenant), pullMinutes. Connections from app-config are changed there. Audited. Needs infra.pipelines.manage.",
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
            "description": "Changed."
          },
          "201": {
            "description": "Created."
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
            "$ref": "#/components/parameters/connectionId"
          }
        ]
      },
      "delete": {
        "operationId": "DeleteConnection",
        "summary": "Deletes a connection created through the API; audited. Needs infra.pipelines.manage.",
        "responses": {
          "204": {
            "description": "Deleted."
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
            "$ref": "#/components/parameters/connectionId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/connections/{connectionId}/pulls": {
      "post": {
        "operationId": "PullConnection",
        "summary": "Reads the runs of the repositories the tenant's entities claim on the connection's provider now (they are also pulled every pullMinutes). Needs infra.pipelines.manage.",
        "responses": {
          "200": {
            "description": "What was read, and what failed.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "runs": {
                      "type": "integer"
                    },
                    "errors": {
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
            "$ref": "#/components/parameters/connectionId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/triggers": {
      "post": {
        "operationId": "TriggerPipeline",
        "summary": "Starts the pipeline of an entity of the tenant (GitHub workflow_dispatch, a GitLab pipeline, an Azure DevOps build) on `ref` (default main) with `inputs`; audited. Needs infra.pipelines.trigger.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "required": [
                  "entityRef"
                ],
                "properties": {
                  "entityRef": {
                    "type": "string"
                  },
                  "ref": {
                    "type": "string"
                  },
                  "pipeline": {
                    "type": "string"
                  },
                  "inputs": {
                    "type": "object"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "202": {
            "description": "The provider accepted it.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "message": {
                      "type": "string"
                    },
                    "externalId": {
                      "type": "string"
                    },
                    "url": {
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
      "connectionId": {
        "name": "connectionId",
        "in": "path",
        "required": true,
        "schema": {
          "type": "string",
          "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"
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
      "PipelineRun": {
        "type": "object",
        "required": [
          "id",
          "provider",
          "repository",
          "pipeline",
          "externalId",
          "status",
          "entityRefs",
          "updatedAt"
        ],
        "properties": {
          "id": {
            "type": "string"
          },
          "provider": {
            "type": "string",
            "enum": [
              "github",
              "gitlab",
              "azure-devops"
            ]
          },
          "connectionId": {
            "type": "string"
          },
          "repository": {
            "type": "string"
          },
          "pipeline": {
            "type": "string"
          },
          "pipelineId": {
            "type": "string"
          },
          "externalId": {
            "type": "string"
          },
          "number": {
            "type": "integer"
          },
          "attempt": {
            "type": "integer"
          },
          "status": {
            "type": "string",
            "enum": [
              "queued",
              "running",
              "succeeded",
              "failed",
              "cancelled",
              "skipped"
            ]
          },
          "branch": {
            "type": "string"
          },
          "commitSha": {
            "type": "string"
          },
          "actor": {
            "type": "string"
          },
          "event": {
            "type": "string"
          },
          "url": {
            "type": "string"
          },
          "entityRefs": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "module": {
            "type": "string"
          },
          "environment": {
            "type": "string"
          },
          "startedAt": {
            "type": "string"
          },
          "finishedAt": {
            "type": "string"
          },
          "durationMs": {
            "type": "integer"
          },
          "updatedAt": {
            "type": "string"
          },
          "receivedVia": {
            "type": "string",
            "enum": [
              "webhook",
              "pull",
              "trigger"
            ]
          },
          "jobs": {
            "type": "array",
            "items": {
              "type": "object"
            }
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
