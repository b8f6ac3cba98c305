// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-hub",
    "version": "1",
    "description": "The Infra Hub suite's own API: what the suite is and which of its features this portal runs. Every route but /health needs a Backstage user or service token, or a static external-access token.",
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
                  "additionalProperties": false,
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
    "/about": {
      "get": {
        "operationId": "GetAbout",
        "summary": "The suite's version and every feature, with whether this portal runs it.",
        "parameters": [
          {
            "name": "enabled",
            "in": "query",
            "required": false,
            "description": "Only features that are (true) or are not (false) enabled.",
            "schema": {
              "type": "string",
              "enum": [
                "true",
                "false"
              ]
            }
          }
        ],
        "responses": {
          "200": {
            "description": "About the suite.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/About"
                }
              }
            }
          },
          "400": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "401": {
            "$ref": "#/components/responses/ErrorResponse"
          },
          "403": {
            "$ref": "#/components/responses/ErrorResponse"
          }
        }
      }
    }
  },
  "components": {
    "securitySchemes": {
      "JWT": {
        "type": "http",
        "scheme": "bearer",
        "bearerFormat": "JWT"
      }
    },
    "responses": {
      "ErrorResponse": {
        "description": "An error, in Backstage's error format.",
        "content": {
          "application/json": {
            "schema": {
              "$ref": "#/components/schemas/Error"
            }
          }
        }
      }
    },
    "schemas": {
      "Error": {
        "type": "object",
        "required": [
          "error",
          "request"
        ],
        "properties": {
          "error": {
            "type": "object",
            "required": [
              "name",
              "message"
            ],
            "properties": {
              "name": {
                "type": "string"
              },
              "message": {
                "type": "string"
              }
            }
          },
          "request": {
            "type": "object",
            "properties": {
              "method": {
                "type": "string"
              },
              "url": {
                "type": "string"
              }
            }
          },
          "response": {
            "type": "object",
            "properties": {
              "statusCode": {
                "type": "number"
              }
            }
          }
        }
      },
      "Feature": {
        "type": "object",
        "required": [
          "id",
          "title",
          "description",
          "pluginId",
          "enabled"
        ],
        "additionalProperties": false,
        "properties": {
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "description": {
            "type": "string"
          },
          "pluginId": {
            "type": "string",
            "description": "The backend plugin that provides the feature."
          },
          "enabled": {
            "type": "boolean",
            "description": "True when that plugin is installed in this backend."
          }
        }
      },
      "About": {
        "type": "object",
        "required": [
          "name",
          "version",
          "features"
        ],
        "additionalProperties": false,
        "properties": {
          "name": {
            "type": "string"
          },
          "version": {
            "type": "string"
          },
          "features": {
            "type": "array",
            "items": {
              "$ref": "#/components/schemas/Feature"
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
