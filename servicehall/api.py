"""The JSON API: one NinjaAPI composed of each domain's router, with its OpenAPI schema at /api/openapi.json."""
from ninja import NinjaAPI

from servicehall.core.api import AUTH, install_error_handlers

api = NinjaAPI(
    title="servicehall API",
    version="1",
    description="营业厅服务质量管理平台接口：人员使用会话登录，排队机、评价器、显示屏等设备使用 Bearer 设备令牌。错误统一返回 {code, message}。",
    auth=AUTH,
    urls_namespace="api",
)
install_error_handlers(api)


def _mount():
    from servicehall.cases.api import router as cases
    from servicehall.catalogue.api import router as catalogue
    from servicehall.inspections.api import router as inspections
    from servicehall.org.api import router as org
    from servicehall.queueing.api import router as queueing
    from servicehall.video.api import router as video

    api.add_router("/org/", org)
    api.add_router("/catalogue/", catalogue)
    api.add_router("/queue/", queueing)
    api.add_router("/cases/", cases)
    api.add_router("/inspections/", inspections)
    api.add_router("/video/", video)


_mount()
