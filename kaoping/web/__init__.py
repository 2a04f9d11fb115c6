"""The web front: home page, health check, and (later) the shared layout."""
