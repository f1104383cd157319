"""The API's input and output schemas, one module per router in `chuangyou.api.routers`.

A schema's class name is its name in the published OpenAPI document, so names stay unique across modules.
"""
