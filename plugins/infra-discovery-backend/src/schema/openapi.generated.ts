// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-discovery",
    "version": "1",
    "description": "Infra Hub discovery: sources, the jobs that ran them, the asset graph they found and the attack paths through it. Every route but /health needs a Backstage token or a machine API key; reading needs infra.asset-graph.read in the tenant, running a source infra.discovery.run.",
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
    "/tenants/{tenantId}/sources": {
      "get": {
        "operationId": "ListSources",
        "responses": {
          "200": {
            "description": "The tenant's discovery sources.",
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
                        "$ref": "#/components/schemas/Source"
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
      },
      "post": {
        "operationId": "CreateSource",
        "summary": "Create a source (needs infra.asset-graph.write). Settings are checked by the provider kind and never hold secrets; a credential is referenced by the id of a vault credential.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SourceInput"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Source"
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
          }
        ]
      }
    },
    "/tenants/{tenantId}/sources/{sourceId}": {
      "get": {
        "operationId": "GetSource",
        "responses": {
          "200": {
            "description": "The source.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Source"
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
            "$ref": "#/components/parameters/sourceId"
          }
        ]
      },
      "patch": {
        "operationId": "UpdateSource",
        "summary": "Change a source created through the API (needs infra.asset-graph.write); sources from app-config are changed in app-config. null clears credentialId, workspaceId or schedule.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/SourcePatch"
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "Changed.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Source"
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
          }
        },
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "$ref": "#/components/parameters/sourceId"
          }
        ]
      },
      "delete": {
        "operationId": "DeleteSource",
        "summary": "Delete a source created through the API, its jobs and its view of the graph (needs infra.asset-graph.write).",
        "responses": {
          "204": {
            "description": "Deleted."
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
            "$ref": "#/components/parameters/sourceId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/providers": {
      "get": {
        "operationId": "ListProviders",
        "summary": "The provider kinds installed in this backend.",
        "responses": {
          "200": {
            "description": "Provider kinds.",
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
                        "type": "object",
                        "required": [
                          "id",
                          "title",
                          "credentialHint"
                        ],
                        "properties": {
                          "id": {
                            "type": "string"
                          },
                          "title": {
                            "type": "string"
                          },
                          "credentialHint": {
                            "type": "string"
                          }
                        }
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
    "/tenants/{tenantId}/sources/{sourceId}/runs": {
      "post": {
        "operationId": "RunSource",
        "summary": "Start a run now; the job is returned while it runs.",
        "responses": {
          "202": {
            "description": "Started.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
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
            "$ref": "#/components/parameters/sourceId"
          }
        ]
      }
    },
    "/tenants/{tenantId}/jobs": {
      "get": {
        "operationId": "ListJobs",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "sourceId",
            "in": "query",
            "schema": {
              "$ref": "#/components/schemas/Slug"
            }
          },
          {
            "name": "before",
            "in": "query",
            "description": "Paging cursor from nextBefore.",
            "schema": {
              "type": "string",
              "maxLength": 100
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
            "description": "Jobs, newest first.",
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
                        "$ref": "#/components/schemas/Job"
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
    "/tenants/{tenantId}/jobs/{jobId}": {
      "get": {
        "operationId": "GetJob",
        "responses": {
          "200": {
            "description": "The job.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Job"
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
            "name": "jobId",
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
    "/tenants/{tenantId}/assets": {
      "get": {
        "operationId": "ListAssets",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "include",
            "in": "query",
            "description": "`attributes` to list each asset with its attributes (by default only the detail route has them).",
            "schema": {
              "type": "string",
              "enum": [
                "attributes"
              ]
            }
          },
          {
            "name": "type",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "account",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 128
            }
          },
          {
            "name": "region",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 64
            }
          },
          {
            "name": "search",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 200
            }
          },
          {
            "name": "includeGone",
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
            "name": "after",
            "in": "query",
            "description": "Paging cursor from nextAfter.",
            "schema": {
              "type": "string",
              "maxLength": 4200
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
            "description": "Assets.",
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
                        "type": "object"
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
              }
            }
          }
        }
      }
    },
    "/tenants/{tenantId}/asset": {
      "get": {
        "operationId": "GetAsset",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "id",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 2048
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The asset as each source saw it, and its edges.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "views",
                    "edges"
                  ],
                  "properties": {
                    "views": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "edges": {
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
    "/tenants/{tenantId}/graph": {
      "get": {
        "operationId": "GetNeighbourhood",
        "summary": "The assets within `depth` relationships of one asset, and the edges between them.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "id",
            "in": "query",
            "required": true,
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 2048
            }
          },
          {
            "name": "depth",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "1",
                "2",
                "3"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Nodes and edges; `truncated` when the neighbourhood had more than 300 assets.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "nodes",
                    "edges",
                    "truncated"
                  ],
                  "properties": {
                    "nodes": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "edges": {
                      "type": "array",
                      "items": {
                        "type": "object"
                      }
                    },
                    "truncated": {
                      "type": "boolean"
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
    "/tenants/{tenantId}/changes": {
      "get": {
        "operationId": "ListAssetChanges",
        "summary": "Assets that changed after a cursor, oldest change first, merged across sources (the catalog module reads this). Without a cursor, every asset.",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "after",
            "in": "query",
            "description": "Cursor from nextAfter.",
            "schema": {
              "type": "string",
              "maxLength": 2100
            }
          },
          {
            "name": "includeRemoved",
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
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,4}$"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "Changes: `{ id, asset, edges }`, or `{ id, removed: true }` when no source has the asset any more; `nextAfter` is the cursor to go on from (also on the last page, so that the next call sees only newer changes) and `more` says whether a next page exists now.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "items",
                    "more"
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
                    },
                    "more": {
                      "type": "boolean"
                    }
                  }
                }
              }
            }
          }
        }
      }
    },
    "/tenants/{tenantId}/attack-paths": {
      "get": {
        "operationId": "ListAttackPaths",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
          },
          {
            "name": "assetId",
            "in": "query",
            "description": "Only the paths that pass through this asset.",
            "schema": {
              "type": "string",
              "minLength": 1,
              "maxLength": 2048
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
            "description": "Paths from the internet to sensitive assets, worst first.",
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
          "$ref": "#/components/schemas/Slug"
        }
      },
      "sourceId": {
        "name": "sourceId",
        "in": "path",
        "required": true,
        "schema": {
          "$ref": "#/components/schemas/Slug"
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
      "Slug": {
        "type": "string",
        "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"
      },
      "Source": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "name",
          "provider",
          "settings",
          "enabled",
          "origin"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "workspaceId": {
            "type": "string"
          },
          "name": {
            "type": "string"
          },
          "provider": {
            "type": "string"
          },
          "settings": {
            "type": "object"
          },
          "credentialId": {
            "type": "string"
          },
          "schedule": {
            "type": "string"
          },
          "enabled": {
            "type": "boolean"
          },
          "origin": {
            "type": "string",
            "enum": [
              "config",
              "api"
            ]
          },
          "createdBy": {
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
      "Schedule": {
        "type": "string",
        "description": "How often to run, as an ISO 8601 duration between PT5M and P30D (e.g. PT1H).",
        "pattern": "^P(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?)?$",
        "maxLength": 32
      },
      "SourceInput": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "id",
          "name",
          "provider",
          "settings"
        ],
        "properties": {
          "id": {
            "$ref": "#/components/schemas/Slug"
          },
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "provider": {
            "type": "string",
            "minLength": 1,
            "maxLength": 64
          },
          "settings": {
            "type": "object"
          },
          "credentialId": {
            "type": "string",
            "format": "uuid"
          },
          "workspaceId": {
            "$ref": "#/components/schemas/Slug"
          },
          "schedule": {
            "$ref": "#/components/schemas/Schedule"
          },
          "enabled": {
            "type": "boolean"
          }
        }
      },
      "SourcePatch": {
        "type": "object",
        "additionalProperties": false,
        "minProperties": 1,
        "properties": {
          "name": {
            "type": "string",
            "minLength": 1,
            "maxLength": 200
          },
          "settings": {
            "type": "object"
          },
          "credentialId": {
            "type": "string",
            "format": "uuid",
            "nullable": true
          },
          "workspaceId": {
            "type": "string",
            "pattern": "^[a-z0-9][a-z0-9-]{0,62}$",
            "nullable": true
          },
          "schedule": {
            "type": "string",
            "pattern": "^P(?:\\d+D)?(?:T(?:\\d+H)?(?:\\d+M)?)?$",
            "maxLength": 32,
            "nullable": true
          },
          "enabled": {
            "type": "boolean"
          }
        }
      },
      "Job": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "sourceId",
          "trigger",
          "status",
          "requestedBy",
          "startedAt",
          "warnings"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "sourceId": {
            "type": "string"
          },
          "trigger": {
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
          "requestedBy": {
            "type": "string"
          },
          "startedAt": {
            "type": "string"
          },
          "finishedAt": {
            "type": "string"
          },
          "counts": {
            "type": "object"
          },
          "warnings": {
            "type": "array",
            "items": {
              "type": "string"
            }
          },
          "error": {
            "type": "string"
          },
          "progress": {
            "type": "object",
            "description": "While running.",
            "properties": {
              "message": {
                "type": "string"
              },
              "done": {
                "type": "integer"
              },
              "total": {
                "type": "integer"
              },
              "assets": {
                "type": "integer"
              },
              "edges": {
                "type": "integer"
              }
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
