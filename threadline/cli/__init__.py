"""The command-line interface: Typer commands over the Workbench, one module per verb group."""
