from flask import Blueprint, jsonify

from .. import API_VERSION, __version__

bp = Blueprint("health", __name__, url_prefix="/api/v1")


@bp.get("/health")
def health():
    """No token: the extension's ping. The app name and version tell Danhao from a foreign server."""
    return jsonify({"app": "danhao", "version": __version__, "api_version": API_VERSION})
