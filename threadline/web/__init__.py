"""The web UI: server-rendered pages over the workbench, with our own small JS and CSS.

`threadline.web.pages.install(app)` adds the pages to the FastAPI app the API builds.
"""
