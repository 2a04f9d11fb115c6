"""The web app's views, one module per area; dashboards are in `home`."""
