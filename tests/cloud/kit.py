"""Small openstacksdk helpers for the embedded cloud's own tests."""
from __future__ import annotations

import uuid
from pathlib import Path


PLACEMENT = "1.39"
PROJECT = Path(__file__).resolve().parents[2]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def allocations(conn, consumer: str) -> dict:
    response = conn.placement.get(f"/allocations/{consumer}", microversion=PLACEMENT)
    assert response.status_code == 200, response.text
    return {rp: body["resources"] for rp, body in response.json()["allocations"].items()}


def provider_id(conn, host: str) -> str:
    return next(rp.id for rp in conn.placement.resource_providers() if rp.name == host)


def compute_service(conn, host: str):
    return next(iter(conn.compute.services(binary="nova-compute", host=host)))


def service_state(conn, host: str) -> str:
    return compute_service(conn, host).state
