"""Settings modules: `base` is shared; `local`, `test` and `production` each build on it.

Choose one with DJANGO_SETTINGS_MODULE (the `kaoping` command defaults to `local`).
"""
