"""The REST API (接口): token authentication, scoping, pagination, bulk create, OpenAPI schema.

Every endpoint reads through the apps' selectors with the request user as viewer and writes
through the apps' services with the request user as actor; this package holds what the per-app
API modules (`kaoping/<app>/api/`) share.
"""
