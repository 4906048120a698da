"""The demo course content shown in the XBlock SDK workbench."""

DEMO_CREDENTIAL_SLUG = "workplace-safety-practitioner"

SAFETY_WALKTHROUGH = f"""
<credential_assessment display_name="Workplace safety walkthrough"
                       credential="{DEMO_CREDENTIAL_SLUG}" max_evidence_length="5000">
  <prompt>
    <p>Walk through a real workspace you know (a workshop, a kitchen, a warehouse aisle).
    Describe the <strong>hazards</strong> you found, the <strong>controls</strong> you would
    put in place, and how you would <strong>communicate</strong> them to the team.</p>
  </prompt>
  <rubric>
    <criterion name="hazards" label="Hazard identification"
               description="Finds the hazards that matter in the space described.">
      <level name="missing" label="Not shown" points="0">
        No concrete hazard is named.</level>
      <level name="partial" label="Partial" points="2">
        Some hazards, the serious ones missed.</level>
      <level name="complete" label="Complete" points="4">
        All serious hazards, with where they are.</level>
    </criterion>
    <criterion name="controls" label="Control measures"
               description="Chooses controls in the right order (remove, replace, guard, protect).">
      <level name="missing" label="Not shown" points="0">
        No controls proposed.</level>
      <level name="generic" label="Generic" points="2">
        Controls named but not matched to hazards.</level>
      <level name="matched" label="Matched" points="4">
        Each serious hazard has a fitting control.</level>
    </criterion>
    <criterion name="communication" label="Communication"
               description="Explains how the team will learn and follow the controls.">
      <level name="missing" label="Not shown" points="0">
        Nothing on telling the team.</level>
      <level name="clear" label="Clear" points="2">
        A clear briefing plan for the team.</level>
    </criterion>
  </rubric>
</credential_assessment>
"""

# A unit that takes files and links as well as text, and requires a verified identity.
HYGIENE_AUDIT = f"""
<credential_assessment display_name="Kitchen hygiene audit"
                       credential="{DEMO_CREDENTIAL_SLUG}" max_evidence_length="5000"
                       file_evidence="true" allowed_file_types='["pdf", "png", "jpg", "txt"]'
                       max_file_size_mb="2" max_files="3" link_evidence="true" max_links="2"
                       require_id_verification="true">
  <prompt>
    <p>Audit the hygiene of a kitchen you work in. Upload your completed checklist (PDF, photo
    or text) and, if you filmed the walk-round, give a link to the video.</p>
  </prompt>
  <rubric>
    <criterion name="checklist" label="Checklist"
               description="Covers storage, cleaning, temperatures and staff hygiene.">
      <level name="missing" label="Not shown" points="0">No checklist.</level>
      <level name="partial" label="Partial" points="2">Some areas left out.</level>
      <level name="complete" label="Complete" points="4">Every area checked.</level>
    </criterion>
    <criterion name="actions" label="Corrective actions"
               description="Says what must change, by whom and by when.">
      <level name="missing" label="Not shown" points="0">No actions.</level>
      <level name="clear" label="Clear" points="2">Each finding has an owner and a date.</level>
    </criterion>
  </rubric>
</credential_assessment>
"""
