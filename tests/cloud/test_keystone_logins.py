"""Keystone answers logins that arrive together, as nova's services log in at start-up.

A password login writes the user's last_active_at once a day, in the
transaction that read the user (keystone/identity/core.py `authenticate`);
on sqlite two such logins at once failed one with "database is locked" (500),
and a cold start of 2025.2 failed on it. Clearing last_active_at makes every
login below the day's first. Before the fix (keystone served 8 requests at
once) 4 to 6 of these 16 failed each round.
"""
from __future__ import annotations

import sqlite3
from concurrent.futures import ThreadPoolExecutor

import requests
import yaml
from hamcrest import assert_that, only_contains

from embedded_cloud.setup.clouds_yaml import ADMIN_CLOUD, MEMBER_CLOUD

ROUNDS = 3
LOGINS = 16


def _login(auth: dict) -> int:
    body = {"auth": {
        "identity": {"methods": ["password"], "password": {"user": {
            "name": auth["username"], "domain": {"name": auth["user_domain_name"]},
            "password": auth["password"]}}},
        "scope": {"project": {"name": auth["project_name"],
                              "domain": {"name": auth["project_domain_name"]}}}}}
    return requests.post(f"{auth['auth_url']}/auth/tokens", json=body, timeout=120).status_code


def test_concurrent_first_logins_of_the_day_all_get_a_token(embedded_cloud):
    clouds = yaml.safe_load(embedded_cloud.layout.clouds_yaml.read_text())["clouds"]
    users = [clouds[ADMIN_CLOUD]["auth"], clouds[MEMBER_CLOUD]["auth"]] * (LOGINS // 2)
    database = embedded_cloud.layout.datadir("keystone") / "keystone.db"
    answers = []
    for _ in range(ROUNDS):
        with sqlite3.connect(database, timeout=30) as db:
            db.execute("UPDATE user SET last_active_at = NULL")
        with ThreadPoolExecutor(LOGINS) as pool:
            answers += pool.map(_login, users)
    assert_that(answers, only_contains(201))
