"""The demo job as Celery workers rebuild it: everything from the environment (catalog, database, executor),
so a worker on another host loads exactly what the run submitted (dagster.reconstructable needs a module
function)."""


def demo_job():
    import dagster as dg

    from assets.definitions import build_definitions

    job = dg.define_asset_job("demo_all", selection=dg.AssetSelection.all())
    return dg.Definitions.merge(build_definitions(), dg.Definitions(jobs=[job])).resolve_job_def("demo_all")
