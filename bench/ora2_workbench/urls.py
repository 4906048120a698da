"""The workbench's URLs; the benchmark needs nothing else."""
from workbench.urls import urlpatterns  # noqa: F401
