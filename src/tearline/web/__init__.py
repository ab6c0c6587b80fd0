"""The analysts' web application: server-rendered pages on the API's own FastAPI app.

:func:`tearline.web.site.install` adds the pages (under ``/web``), their stylesheet and
the vendored htmx to an application built by ``tearline.api.app.create_app`` — one
process, one store, one audit log. Every page reads through the same policy-bound store
calls as the API and leaves the same audit entries (path ``web``). An analyst signs in
with an API token or a password the node's administrator set (``tearline web
password``); the session lives in a cookie (HttpOnly, SameSite=Strict, Secure over
TLS), every form carries the session's CSRF token, and every page is sent under a
Content-Security-Policy that allows no inline script. The words of every page come
from the ``web`` message catalog in Spanish (es-MX) and English (en-US).
"""
