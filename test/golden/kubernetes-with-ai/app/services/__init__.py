"""Application services shared by the components."""
