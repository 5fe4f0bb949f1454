"""``bizarch serve``: the web UI and the SPARQL endpoint under waitress (issue: web front end)."""

from __future__ import annotations

import ipaddress

import click

from bizarch.cli.common import get_settings

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def is_loopback(host: str) -> bool:
    """Whether ``host`` (as given to --host) listens on the loopback interface only."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def upload_settings(host: str, uploads: bool | None) -> tuple[bool, tuple[str, ...]]:
    """The write path's settings for a server listening on ``host``.

    There is no authentication yet, so uploads are on by default only on a loopback address,
    where only this machine's users reach the server; there the ``Host`` header must name
    loopback too, so a page on another site cannot post through DNS rebinding.
    """
    loopback = is_loopback(host)
    hosts = tuple(dict.fromkeys((*LOOPBACK_NAMES, host.strip("[]").lower()))) if loopback else ()
    return (loopback if uploads is None else uploads), hosts


def register(group: click.Group) -> None:
    """Attach this area's commands to the top-level group."""
    group.add_command(serve)


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8080, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--store",
    "store",
    metavar="ADDRESS",
    default=None,
    help="Store to serve (as the global --store; default ./.bizarch/store).",
)
@click.option(
    "--from-disk",
    is_flag=True,
    help="Answer from the on-disk store instead of an in-memory copy (less memory, slower).",
)
@click.option(
    "--threads",
    default=8,
    show_default=True,
    type=click.IntRange(1, 64),
    help="Request threads (endpoint queries run on their own bounded pool).",
)
@click.option(
    "--sparql-timeout",
    default=10.0,
    show_default=True,
    type=click.FloatRange(0.1),
    help="Seconds a SPARQL endpoint query may run.",
)
@click.option(
    "--sparql-max-rows",
    default=10_000,
    show_default=True,
    type=click.IntRange(1),
    help="Rows (or triples) an endpoint query returns before the result is truncated.",
)
@click.option(
    "--uploads/--no-uploads",
    default=None,
    help="Open the import page's write path [default: on when --host is a loopback address, "
    "off otherwise; there is no authentication yet].",
)
@click.option(
    "--max-upload-mb",
    default=50.0,
    show_default=True,
    type=click.FloatRange(min=0, min_open=True),
    help="Largest upload on the import page, in MB (MiB).",
)
def serve(
    host: str,
    port: int,
    store: str | None,
    from_disk: bool,
    threads: int,
    sparql_timeout: float,
    sparql_max_rows: int,
    uploads: bool | None,
    max_upload_mb: float,
) -> None:
    """Serve the web UI, the import page and the read-only SPARQL endpoint (/sparql)."""
    import waitress

    from bizarch.web import close_app, create_app
    from bizarch.web.settings import WebSettings

    settings = get_settings()
    address = store or settings.store
    allow_uploads, upload_hosts = upload_settings(host, uploads)
    loopback = is_loopback(host)
    app = create_app(
        WebSettings(
            store=address,
            serve_from_memory=not from_disk,
            default_scenario=settings.scenario,
            sparql_timeout_s=sparql_timeout,
            sparql_max_rows=sparql_max_rows,
            allow_uploads=allow_uploads,
            upload_hosts=upload_hosts,
            max_upload_bytes=int(max_upload_mb * 1024 * 1024),
        )
    )
    click.echo(f"bizarch: serving {address} on http://{host}:{port}/ (Ctrl+C stops)", err=True)
    if allow_uploads and not loopback:
        click.echo(
            "bizarch: WARNING: uploads are on and there is no authentication: anyone who can "
            f"reach {host}:{port} can write to the store.",
            err=True,
        )
    elif not allow_uploads:
        click.echo("bizarch: uploads are off (the import page is read-only).", err=True)
    try:
        waitress.serve(
            app,
            host=host,
            port=port,
            threads=threads,
            ident="bizarch",
            clear_untrusted_proxy_headers=True,
        )
    finally:
        close_app(app)
