"""Demo URLs: the workbench's, with this demo's pages and the plugin's own URLs."""
from django.urls import include, path, re_path
from edx_django_utils.plugins import get_plugin_url_patterns
from workbench import views as workbench_views

from demo import views

SCENARIO_PAGE = {"template": "demo/block.html"}

urlpatterns = [
    path("", views.home, name="demo-home"),
    path("demo/sign-in/", views.sign_in, name="demo-sign-in"),
    path("demo/sign-out/", views.sign_out, name="demo-sign-out"),
    path("demo/id-verification/", views.id_verification, name="demo-id-verification"),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/$", workbench_views.show_scenario, SCENARIO_PAGE),
    re_path(r"^scenario/(?P<scenario_id>[^/]+)/(?P<view_name>[^/]+)/$",
            workbench_views.show_scenario, SCENARIO_PAGE),
    *get_plugin_url_patterns("lms.djangoapp"),
    # The workbench serves MEDIA_ROOT in DEBUG; evidence files live there and may only be
    # read through the block's evidence_file handler, which checks who asks.
    re_path(r"^media/", views.not_served),
    path("", include("workbench.urls")),
]
