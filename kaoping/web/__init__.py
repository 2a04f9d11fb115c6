"""The web application (网页): the layout every page shares, sign-in, the role dashboards.

Conventions for building pages on it (README.md in this folder has the examples):

- A page extends "web/base.html" and fills `title`, `page_title` (`page_pretitle`,
  `page_actions`) and `content`; charts add ECharts in `extra_js`. Text is Chinese msgids in
  {% translate %}; run scripts/i18n.sh after changing it.
- One view serves a page and its htmx fragments: `rendering.render_page(request, template,
  context, fragments={"element-id": "_fragment.html"})`. Actions post forms that also work
  without JavaScript; `rendering.done` answers htmx with the updated fragment and a plain post
  with a redirect and a message; `rendering.add_service_errors` shows a service's errors next to
  the form's fields. Writes go through services with `actor=rendering.acting_user(request)`.
- Reads go through selectors only (the apps', or `web.selectors`, which narrows them): out of
  scope is 404, and a page's query count does not grow with its rows.
- Menu entries: `nav.nav_entry(...)` in an app's `navigation.py`, with the roles that see it.
  Dashboards per role: `dashboards.DASHBOARDS`.
- Tests: HTTP tests with `tests/scenario.py` and `tests.conftest.signed_in`; a query-count test
  per page (1 row and 20 rows make the same queries); browser tests in `tests/browser/` with the
  `browser_page` fixture, screenshots in var/screenshots/.
"""
