"""The JSON API: one NinjaAPI composed of each domain's router, with its OpenAPI schema at /api/openapi.json."""
from ninja import NinjaAPI

from servicehall.cases.api import router as cases
from servicehall.catalogue.api import router as catalogue
from servicehall.core.api import document_error_responses, install_error_handlers
from servicehall.hallinfo.api import router as hallinfo
from servicehall.inspections.api import router as inspections
from servicehall.org.api import router as org
from servicehall.org.devices import AUTH
from servicehall.queueing.api import router as queueing
from servicehall.stars.api import router as stars
from servicehall.video.api import router as video


class ServicehallAPI(NinjaAPI):
    """The schema tells every refusal too: each operation documents its 4xx `{code, message}` answers."""

    def get_openapi_schema(self, **kwargs):
        return document_error_responses(super().get_openapi_schema(**kwargs))

    def get_openapi_operation_id(self, operation) -> str:
        """`<app>_api_<handler>`: vendors generate clients from operationIds, so an id names the app's API,
        not the module inside `<app>/api/` that holds the handler (splitting an API changes no id)."""
        module, split, _rest = operation.view_func.__module__.partition(".api.")
        return f"{module}{'.api' if split else ''}_{operation.view_func.__name__}".replace(".", "_")


api = ServicehallAPI(
    title="servicehall API",
    version="1",
    description="营业厅服务质量管理平台接口：人员使用会话登录，排队机、评价器、显示屏等设备使用 Bearer 设备令牌。错误统一返回 {code, message}。",
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)


def _mount():
    api.add_router("/org/", org)
    api.add_router("/catalogue/", catalogue)
    api.add_router("/queue/", queueing)
    api.add_router("/cases/", cases)
    api.add_router("/inspections/", inspections)
    api.add_router("/hallinfo/", hallinfo)
    api.add_router("/video/", video)
    api.add_router("/stars/", stars)


_mount()
