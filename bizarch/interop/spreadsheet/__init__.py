"""Spreadsheet templates (xlsx and CSV): capability map, value streams and stages, applications,
KPIs and measurements. The sheets and columns are data (``templates.yaml``)."""
