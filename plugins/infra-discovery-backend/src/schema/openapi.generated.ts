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
            "name": "sourceId",
            "in": "path",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Slug"
            }
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
    "/tenants/{tenantId}/attack-paths": {
      "get": {
        "operationId": "ListAttackPaths",
        "parameters": [
          {
            "$ref": "#/components/parameters/tenantId"
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
          "enabled"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "id": {
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
          }
        }
      }
    }
  }
} as const;

export const createOpenApiRouter = async (
  options?: Parameters<typeof createValidatedOpenApiRouter>['1'],
) => createValidatedOpenApiRouter<typeof spec>(spec, options);
