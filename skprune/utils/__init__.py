"""Internal helpers shared by the families."""
