"""The JSON API v1 (API.md), with its OpenAPI 3.1 document."""
