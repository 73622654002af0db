"""When the assets downstream of the sources run: their automation conditions and the sensors that
evaluate them, written once for harmonisation, the release and the ServiceAlerts feed."""

import dagster as dg

TIMEZONE = "Europe/Prague"


def _settled(trigger: dg.AutomationCondition, label: str) -> dg.AutomationCondition:
    """``trigger`` since it was last handled, once neither an upstream asset nor this one is in progress."""
    return (
        trigger.since_last_handled()
        & ~dg.AutomationCondition.any_deps_in_progress()
        & ~dg.AutomationCondition.in_progress()
    ).with_label(label)


def when_sources_change() -> dg.AutomationCondition:
    """Like eager(), but "updated" means a new data version (new content), not any materialisation: a
    source whose input was unchanged re-materialises with the same data version and triggers nothing."""
    return _settled(dg.AutomationCondition.newly_missing()
                    | dg.AutomationCondition.any_deps_match(dg.AutomationCondition.data_version_changed()),
                    "an upstream source has a new version")


def when_sources_change_or_after_midnight() -> dg.AutomationCondition:
    """As when_sources_change, and once after midnight: for what is counted from today."""
    return when_sources_change() | (
        dg.AutomationCondition.cron_tick_passed("5 0 * * *", TIMEZONE).since_last_handled()
        & ~dg.AutomationCondition.in_progress())


def when_harmonised_or_new_day() -> dg.AutomationCondition:
    """After harmonisation (stop identity, affected services) materialised, and once a day after midnight
    (a release is dated: the road events in force change with the day)."""
    return _settled(dg.AutomationCondition.newly_missing() | dg.AutomationCondition.any_deps_updated()
                    | dg.AutomationCondition.cron_tick_passed("30 0 * * *", TIMEZONE),
                    "harmonisation updated, or a new day")


def condition_sensor(name: str, target: dg.AssetSelection, minimum_interval_seconds: int,
                     description: str) -> dg.AutomationConditionSensorDefinition:
    """A sensor, running from the start, that evaluates the automation conditions of ``target``."""
    return dg.AutomationConditionSensorDefinition(
        name,
        target=target,
        default_status=dg.DefaultSensorStatus.RUNNING,
        minimum_interval_seconds=minimum_interval_seconds,
        description=description,
    )
