"""The workbench's floor: what any block's page costs before the block does anything.

One scenario, the same in both products' servers: a page whose only block is xblock-sdk's
``html_demo`` (one content field, rendered as is). Its GET pays what every workbench page
pays, ours and ORA2's alike: Django and the session, the workbench's page, XBlock's aside
lookup (every installed package's entry points, on each render) and one field read. What
a block's page costs above it is the block's own work.
"""
FLOOR_SCENARIO = "bench.floor"


def add_floor_scenario() -> str:
    """Register (once) the floor's scenario; return its id."""
    # Once Django is set up (the workbench needs the app registry at import); the harness
    # that only names the scenario (bench.versus_ora2) never sets Django up for it.
    from workbench.scenarios import SCENARIOS, add_xml_scenario

    if FLOOR_SCENARIO not in SCENARIOS:
        add_xml_scenario(FLOOR_SCENARIO, "Benchmark floor: one HTML block",
                         "<html_demo><p>Describe the work.</p></html_demo>")
    return FLOOR_SCENARIO
