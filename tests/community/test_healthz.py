import json


def test_healthz_reports_database_and_channel_layer(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok", "channel_layer": "ok"}


def test_healthz_reports_a_broken_channel_layer(client, db, settings):
    settings.CHANNEL_LAYERS = {
        "default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]}}
    }
    from channels.layers import channel_layers

    channel_layers.backends.clear()
    try:
        response = client.get("/healthz")
    finally:
        channel_layers.backends.clear()
    assert response.status_code == 503
    body = json.loads(response.content)
    assert body["database"] == "ok" and body["channel_layer"].startswith("error")
