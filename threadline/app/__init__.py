"""The application layer: the `Workbench` facade and what it is made of.

Below it lie the domain packages (model, ingest, resolve, search, graph, cases, audit,
access) and the stores; above it, the CLI, the HTTP API and the web pages. Here live the
verbs the facade delegates to, the accountability every call goes through (purpose,
grants, audit), the resolution and indexing pipelines that join the store to the engines,
screening, and the persistent job queue.
"""
