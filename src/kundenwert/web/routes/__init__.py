"""The routers: log-in, pages, administration pages and the REST API."""
