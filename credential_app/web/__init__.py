"""Pages the app serves itself (learner's credentials, public badge pages, verifier documents)."""
