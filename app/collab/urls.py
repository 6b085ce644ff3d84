"""URLs that can be built outside a request too (CLI, digests, indexing during `flask demo`)."""
from flask import current_app, has_request_context, url_for


def path_for(endpoint: str, **values) -> str:
    """The path of an endpoint (no host): url_for in a request, the app's URL map outside one."""
    if has_request_context():
        return url_for(endpoint, **values)
    adapter = current_app.url_map.bind("localhost", script_name=current_app.config.get("APPLICATION_ROOT") or "/")
    return adapter.build(endpoint, values)
