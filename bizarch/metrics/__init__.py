"""Measure value streams and KPIs: lean flow metrics, KPI status and control charts.

``flow`` computes value-stream-map figures per value stream and scenario, ``kpi`` judges KPIs
against baseline and target, ``spc`` draws individuals (XmR) control charts. Data comes out of the
store through the named queries under ``queries/metrics/``; the arithmetic is Python.
"""
