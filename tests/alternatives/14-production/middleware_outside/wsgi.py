from werkzeug.middleware.proxy_fix import ProxyFix

from app import create_app

app = ProxyFix(create_app(), x_proto=1, x_host=1)
