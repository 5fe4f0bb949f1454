"""Value-stream view: stages as chevrons, current and target scenario side by side, each with its
flow-metrics panel (lead-time ladder and figures from :mod:`bizarch.metrics.flow`)."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from bizarch.browse.terms import to_iri
from bizarch.browse.value_streams import list_value_streams, stages
from bizarch.errors import NotFoundError
from bizarch.metrics.charts import lead_time_ladder, longest_stage
from bizarch.metrics.flow import value_stream_flows
from bizarch.web.context import get_repository, get_store
from bizarch.web.views import scenario_list, scenario_pair

bp = Blueprint("valuestreams", __name__)


@bp.get("/value-streams")
def index() -> str:
    store = get_repository()
    scenarios = scenario_list()
    left, right = scenario_pair("left", "right")
    streams = list_value_streams(store, left) or list_value_streams(store, right)
    chosen = request.args.get("vs")
    if chosen:
        stream = to_iri(chosen)
        if all(s.iri != stream.value for s in streams):
            raise NotFoundError(f"No value stream <{stream.value}> in scenario '{left}'.")
    elif streams:
        stream = streams[0].term  # type: ignore[assignment]
    else:
        return render_template("valuestreams/index.html", streams=[], sides=[], scenarios=scenarios)
    sides = [(name, stages(store, stream, name)) for name in dict.fromkeys([left, right])]
    flows = {name: value_stream_flows(get_store(), name, stream.value) for name, st in sides if st}
    scale = max((longest_stage(f) for fs in flows.values() for f in fs), default=None)
    panels = {
        name: [(f, lead_time_ladder(f, longest=scale)) for f in fs] for name, fs in flows.items()
    }
    return render_template(
        "valuestreams/index.html",
        streams=streams,
        stream=stream,
        sides=sides,
        panels=panels,
        left=left,
        right=right,
        scenarios=scenarios,
    )
