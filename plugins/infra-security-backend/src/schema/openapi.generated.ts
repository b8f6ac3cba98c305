// This file is generated from openapi.yaml by scripts/openapi-generate.mjs. Do not edit it:
// edit openapi.yaml and run `yarn openapi:generate`.
import { createValidatedOpenApiRouter } from '@backstage/backend-openapi-utils';

export const spec = {
  "openapi": "3.0.3",
  "info": {
    "title": "infra-security",
    "version": "1",
    "description": "The Infra Hub security spine: tenants and workspaces, the roles users hold in them, the append-only audit log, the credential vault and machine API keys. Every route but /health and /api-keys/introspect needs a Backstage token or a machine API key (Bearer sk_...); what a caller may do follows from their role in the tenant.",
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
    "/me": {
      "get": {
        "operationId": "GetMe",
        "summary": "Who the caller is and the roles they hold.",
        "responses": {
          "200": {
            "description": "The caller.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "actor",
                    "roles"
                  ],
                  "properties": {
                    "actor": {
                      "type": "string"
                    },
                    "roles": {
                      "type": "array",
                      "items": {
                        "type": "object",
                        "required": [
                          "scope",
                          "role"
                        ],
                        "properties": {
                          "scope": {
                            "type": "string"
                          },
                          "role": {
                            "$ref": "#/components/schemas/Role"
                          }
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants": {
      "get": {
        "operationId": "ListTenants",
        "summary": "The tenants the caller may see (a system-admin sees every tenant's name).",
        "responses": {
          "200": {
            "description": "Tenants.",
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
                        "$ref": "#/components/schemas/Tenant"
                      }
                    }
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          }
        }
      },
      "post": {
        "operationId": "CreateTenant",
        "summary": "Create a tenant (system-admin).",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "title"
                ],
                "properties": {
                  "id": {
                    "$ref": "#/components/schemas/Slug"
                  },
                  "title": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200
                  },
                  "description": {
                    "type": "string",
                    "maxLength": 2000
                  }
                }
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
                  "$ref": "#/components/schemas/Tenant"
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
        }
      }
    },
    "/tenants/{tenantId}": {
      "get": {
        "operationId": "GetTenant",
        "responses": {
          "200": {
            "description": "The tenant.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Tenant"
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
          }
        ]
      },
      "delete": {
        "operationId": "DeleteTenant",
        "summary": "Delete a tenant and everything stored for it but its audit log (system-admin).",
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
          }
        ]
      }
    },
    "/tenants/{tenantId}/workspaces": {
      "get": {
        "operationId": "ListWorkspaces",
        "responses": {
          "200": {
            "description": "Workspaces.",
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
                        "$ref": "#/components/schemas/Workspace"
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
      },
      "post": {
        "operationId": "CreateWorkspace",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "id",
                  "title"
                ],
                "properties": {
                  "id": {
                    "$ref": "#/components/schemas/Slug"
                  },
                  "title": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200
                  }
                }
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
                  "$ref": "#/components/schemas/Workspace"
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
          }
        ]
      }
    },
    "/tenants/{tenantId}/workspaces/{workspaceId}": {
      "delete": {
        "operationId": "DeleteWorkspace",
        "responses": {
          "204": {
            "description": "Deleted."
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
            "name": "workspaceId",
            "in": "path",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Slug"
            }
          }
        ]
      }
    },
    "/tenants/{tenantId}/role-bindings": {
      "get": {
        "operationId": "ListRoleBindings",
        "summary": "Who holds which role in the tenant (use tenantId \"system\" for system-admins).",
        "responses": {
          "200": {
            "description": "Role bindings.",
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
                        "$ref": "#/components/schemas/RoleBinding"
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
            "$ref": "#/components/parameters/scopeAsTenantId"
          }
        ]
      },
      "post": {
        "operationId": "GrantRole",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "$ref": "#/components/schemas/RoleBindingInput"
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Granted (or already held).",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/RoleBinding"
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
            "$ref": "#/components/parameters/scopeAsTenantId"
          }
        ]
      },
      "delete": {
        "operationId": "RevokeRole",
        "parameters": [
          {
            "$ref": "#/components/parameters/scopeAsTenantId"
          },
          {
            "name": "userRef",
            "in": "query",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/UserRef"
            }
          },
          {
            "name": "role",
            "in": "query",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Role"
            }
          }
        ],
        "responses": {
          "204": {
            "description": "Revoked."
          },
          "404": {
            "$ref": "#/components/responses/Error"
          },
          "409": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/tenants/{tenantId}/credentials": {
      "get": {
        "operationId": "ListCredentials",
        "summary": "The tenant's credentials, never their values.",
        "responses": {
          "200": {
            "description": "Credentials.",
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
                        "$ref": "#/components/schemas/Credential"
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
      },
      "post": {
        "operationId": "CreateCredential",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "kind",
                  "value"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200
                  },
                  "kind": {
                    "type": "string",
                    "pattern": "^[a-z0-9][a-z0-9-]{0,63}$"
                  },
                  "value": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 65536
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Stored, encrypted.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/Credential"
                }
              }
            }
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
          }
        ]
      }
    },
    "/tenants/{tenantId}/credentials/{credentialId}": {
      "put": {
        "operationId": "ReplaceCredential",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "value"
                ],
                "properties": {
                  "value": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 65536
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
                  "$ref": "#/components/schemas/Credential"
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
            "name": "credentialId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "format": "uuid"
            }
          }
        ]
      },
      "delete": {
        "operationId": "DeleteCredential",
        "responses": {
          "204": {
            "description": "Deleted."
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
            "name": "credentialId",
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
    "/tenants/{tenantId}/api-keys": {
      "get": {
        "operationId": "ListApiKeys",
        "responses": {
          "200": {
            "description": "API keys, never their secrets.",
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
                        "$ref": "#/components/schemas/ApiKey"
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
      },
      "post": {
        "operationId": "CreateApiKey",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "name",
                  "role"
                ],
                "properties": {
                  "name": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 200
                  },
                  "role": {
                    "$ref": "#/components/schemas/TenantRole"
                  },
                  "expiresInDays": {
                    "type": "integer",
                    "minimum": 1,
                    "description": "Lifetime in days; default and maximum come from infra.security.apiKeys."
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Created. The token is shown here once and never again.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "key",
                    "token"
                  ],
                  "properties": {
                    "key": {
                      "$ref": "#/components/schemas/ApiKey"
                    },
                    "token": {
                      "type": "string"
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
    "/tenants/{tenantId}/api-keys/{keyId}": {
      "delete": {
        "operationId": "RevokeApiKey",
        "summary": "Revoke a key; its next request is refused.",
        "responses": {
          "200": {
            "description": "Revoked.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/ApiKey"
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
            "name": "keyId",
            "in": "path",
            "required": true,
            "schema": {
              "type": "string",
              "pattern": "^[A-Za-z0-9]{16}$"
            }
          }
        ]
      }
    },
    "/api-keys/introspect": {
      "post": {
        "operationId": "IntrospectApiKey",
        "summary": "For the suite's token handler; answers 401 for anything but a valid, unrevoked key.",
        "security": [],
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "token"
                ],
                "properties": {
                  "token": {
                    "type": "string",
                    "maxLength": 512
                  }
                }
              }
            }
          }
        },
        "responses": {
          "200": {
            "description": "The key.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "keyId",
                    "tenantId",
                    "role"
                  ],
                  "properties": {
                    "keyId": {
                      "type": "string"
                    },
                    "tenantId": {
                      "type": "string"
                    },
                    "role": {
                      "$ref": "#/components/schemas/TenantRole"
                    }
                  }
                }
              }
            }
          },
          "401": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/audit/{scope}/events": {
      "get": {
        "operationId": "ListAuditEvents",
        "parameters": [
          {
            "name": "scope",
            "in": "path",
            "required": true,
            "description": "A tenant id, or \"system\".",
            "schema": {
              "$ref": "#/components/schemas/Slug"
            }
          },
          {
            "name": "action",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 100
            }
          },
          {
            "name": "actor",
            "in": "query",
            "schema": {
              "type": "string",
              "maxLength": 255
            }
          },
          {
            "name": "outcome",
            "in": "query",
            "schema": {
              "type": "string",
              "enum": [
                "success",
                "failure",
                "denied"
              ]
            }
          },
          {
            "name": "from",
            "in": "query",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "to",
            "in": "query",
            "schema": {
              "type": "string",
              "format": "date-time"
            }
          },
          {
            "name": "before",
            "in": "query",
            "description": "Page backwards from this seq.",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,18}$"
            }
          },
          {
            "name": "limit",
            "in": "query",
            "schema": {
              "type": "string",
              "pattern": "^[0-9]{1,4}$"
            }
          },
          {
            "name": "format",
            "in": "query",
            "description": "json (default) or csv (a download of up to 10000 events).",
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
            "description": "Events, newest first.",
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
                        "$ref": "#/components/schemas/AuditEvent"
                      }
                    },
                    "nextBefore": {
                      "type": "integer"
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
          "403": {
            "$ref": "#/components/responses/Error"
          }
        }
      }
    },
    "/audit/{scope}/verify": {
      "get": {
        "operationId": "VerifyAuditChain",
        "summary": "Recomputes the scope's hash chain and reports the first event that breaks it.",
        "responses": {
          "200": {
            "description": "The verification.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "scope",
                    "valid",
                    "checked"
                  ],
                  "properties": {
                    "scope": {
                      "type": "string"
                    },
                    "valid": {
                      "type": "boolean"
                    },
                    "checked": {
                      "type": "integer"
                    },
                    "brokenAt": {
                      "type": "object",
                      "properties": {
                        "seq": {
                          "type": "integer"
                        },
                        "reason": {
                          "type": "string"
                        }
                      }
                    },
                    "checkpoint": {
                      "description": "The scope's latest signed checkpoint (ML-DSA-65) checked against the chain; without it, removing the newest events could not be seen.",
                      "type": "object",
                      "properties": {
                        "seq": {
                          "type": "integer"
                        },
                        "signedAt": {
                          "type": "string"
                        },
                        "keyId": {
                          "type": "string"
                        },
                        "signatureValid": {
                          "type": "boolean"
                        },
                        "matches": {
                          "type": "boolean"
                        },
                        "problem": {
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
        "parameters": [
          {
            "name": "scope",
            "in": "path",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/Slug"
            }
          }
        ]
      }
    },
    "/audit/events": {
      "post": {
        "operationId": "RecordAuditEvent",
        "summary": "For other backend plugins (service tokens only) to record their own events.",
        "requestBody": {
          "required": true,
          "content": {
            "application/json": {
              "schema": {
                "type": "object",
                "additionalProperties": false,
                "required": [
                  "scope",
                  "actor",
                  "action"
                ],
                "properties": {
                  "scope": {
                    "$ref": "#/components/schemas/Slug"
                  },
                  "actor": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 255
                  },
                  "action": {
                    "type": "string",
                    "pattern": "^[a-z0-9][a-z0-9.-]{0,99}$"
                  },
                  "outcome": {
                    "type": "string",
                    "enum": [
                      "success",
                      "failure",
                      "denied"
                    ]
                  },
                  "subject": {
                    "type": "string",
                    "maxLength": 255
                  },
                  "details": {
                    "type": "object"
                  }
                }
              }
            }
          }
        },
        "responses": {
          "201": {
            "description": "Recorded.",
            "content": {
              "application/json": {
                "schema": {
                  "$ref": "#/components/schemas/AuditEvent"
                }
              }
            }
          },
          "202": {
            "description": "A repeat of a noisy event (permission.denied, user.sign-in-failed) within its window: counted, and written as one event with `repeated` when the window closes.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "properties": {
                    "aggregated": {
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
    "/internal/role-bindings": {
      "get": {
        "operationId": "RolesOfUser",
        "summary": "For the permission policy (service tokens only) - every role a user holds.",
        "parameters": [
          {
            "name": "userRef",
            "in": "query",
            "required": true,
            "schema": {
              "$ref": "#/components/schemas/UserRef"
            }
          }
        ],
        "responses": {
          "200": {
            "description": "The user's roles.",
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
                          "scope",
                          "role"
                        ],
                        "properties": {
                          "scope": {
                            "type": "string"
                          },
                          "role": {
                            "$ref": "#/components/schemas/Role"
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
      }
    },
    "/vault/rotate": {
      "post": {
        "operationId": "RotateVault",
        "summary": "Re-encrypt every credential under the active vault key (system-admin).",
        "responses": {
          "200": {
            "description": "Done.",
            "content": {
              "application/json": {
                "schema": {
                  "type": "object",
                  "required": [
                    "reencrypted",
                    "activeKeyId"
                  ],
                  "properties": {
                    "reencrypted": {
                      "type": "integer"
                    },
                    "activeKeyId": {
                      "type": "string"
                    }
                  }
                }
              }
            }
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
          "$ref": "#/components/schemas/Slug"
        }
      },
      "scopeAsTenantId": {
        "name": "tenantId",
        "in": "path",
        "required": true,
        "description": "A tenant id, or \"system\" for the system scope.",
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
      "UserRef": {
        "type": "string",
        "pattern": "^user:[a-z0-9._-]+/[A-Za-z0-9._-]+$"
      },
      "Role": {
        "type": "string",
        "enum": [
          "system-admin",
          "tenant-admin",
          "security-analyst",
          "auditor",
          "read-only"
        ]
      },
      "TenantRole": {
        "type": "string",
        "enum": [
          "tenant-admin",
          "security-analyst",
          "auditor",
          "read-only"
        ]
      },
      "RoleBindingInput": {
        "type": "object",
        "additionalProperties": false,
        "required": [
          "userRef",
          "role"
        ],
        "properties": {
          "userRef": {
            "$ref": "#/components/schemas/UserRef"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          }
        }
      },
      "Tenant": {
        "type": "object",
        "required": [
          "id",
          "title",
          "createdAt",
          "createdBy"
        ],
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
          "createdAt": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          }
        }
      },
      "Workspace": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "title",
          "createdAt"
        ],
        "properties": {
          "tenantId": {
            "type": "string"
          },
          "id": {
            "type": "string"
          },
          "title": {
            "type": "string"
          },
          "createdAt": {
            "type": "string"
          }
        }
      },
      "RoleBinding": {
        "type": "object",
        "required": [
          "scope",
          "userRef",
          "role",
          "grantedBy",
          "grantedAt"
        ],
        "properties": {
          "scope": {
            "type": "string"
          },
          "userRef": {
            "type": "string"
          },
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "grantedBy": {
            "type": "string"
          },
          "grantedAt": {
            "type": "string"
          }
        }
      },
      "Credential": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "name",
          "kind",
          "keyId",
          "createdAt",
          "createdBy",
          "updatedAt"
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
          "kind": {
            "type": "string"
          },
          "keyId": {
            "type": "string",
            "description": "The vault key it is encrypted with."
          },
          "createdAt": {
            "type": "string"
          },
          "createdBy": {
            "type": "string"
          },
          "updatedAt": {
            "type": "string"
          },
          "lastUsedAt": {
            "type": "string"
          }
        }
      },
      "ApiKey": {
        "type": "object",
        "required": [
          "tenantId",
          "id",
          "name",
          "role",
          "prefix",
          "createdAt",
          "createdBy",
          "expiresAt"
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
          "role": {
            "$ref": "#/components/schemas/Role"
          },
          "prefix": {
            "type": "string",
            "description": "The token up to its secret."
          },
          "createdAt": {
            "type": "string"
          },
          "createdBy": {
            "type": "string",
            "description": "The user who minted the key."
          },
          "expiresAt": {
            "type": "string",
            "description": "The key is refused after this moment."
          },
          "lastUsedAt": {
            "type": "string"
          },
          "revokedAt": {
            "type": "string"
          }
        }
      },
      "AuditEvent": {
        "type": "object",
        "required": [
          "seq",
          "id",
          "scope",
          "occurredAt",
          "actor",
          "action",
          "outcome",
          "details",
          "prevHash",
          "hash"
        ],
        "properties": {
          "seq": {
            "type": "integer"
          },
          "id": {
            "type": "string"
          },
          "scope": {
            "type": "string"
          },
          "occurredAt": {
            "type": "string"
          },
          "actor": {
            "type": "string"
          },
          "action": {
            "type": "string"
          },
          "outcome": {
            "type": "string"
          },
          "subject": {
            "type": "string"
          },
          "details": {
            "type": "object"
          },
          "prevHash": {
            "type": "string"
          },
          "hash": {
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
