"""The broker's plugins directory: the applications rabbit needs, found from their .app files."""
from __future__ import annotations

from pathlib import Path

from hamcrest import assert_that, contains_inanyorder, equal_to, is_, none

from embedded_cloud.context import Ctx
from embedded_cloud.layout import Layout
from embedded_cloud.services import erlang_code, rabbitmq
from embedded_cloud.state import State


def _app(lib, dir_name, name, needs=(), key="applications"):
    ebin = lib / dir_name / "ebin"
    ebin.mkdir(parents=True)
    (ebin / f"{name}.app").write_text(
        f"{{application, {name},\n [{{vsn, \"1\"}},\n  {{{key}, [{', '.join(needs)}]}},\n"
        f"  {{modules, [{name}_unrelated]}}]}}.\n")


def _libs(tmp_path):
    plugins, otp = tmp_path / "plugins", tmp_path / "otp"
    _app(plugins, "rabbit-3.10.8", "rabbit", ["kernel", "rabbit_common", "ssl"])
    _app(plugins, "rabbit_common-3.10.8", "rabbit_common", ["jsx"])
    _app(plugins, "jsx-3.1.0", "jsx")
    _app(plugins, "rabbitmq_mqtt-3.10.8", "rabbitmq_mqtt", ["rabbit"])  # a plugin nobody needs
    _app(otp, "ssl-10.8.7", "ssl", ["public_key"], key="included_applications")
    _app(otp, "public_key-1.13.2", "public_key")
    _app(otp, "mnesia-4.21.3", "mnesia")
    _app(otp, "compiler-8.2.3", "compiler")  # nobody needs it
    return [plugins, otp]


def test_rabbit_and_mnesia_with_all_they_need_transitively_across_both_lib_dirs(tmp_path):
    available = erlang_code.app_dirs(_libs(tmp_path))
    assert_that(erlang_code.needed(available), equal_to(
        ["jsx", "mnesia", "public_key", "rabbit", "rabbit_common", "ssl"]))


def test_the_highest_version_in_a_lib_dir_and_the_first_lib_dir_win(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    _app(first, "ra-2.1.0", "ra")
    _app(first, "ra-2.2.0", "ra")
    _app(second, "ra-9.0.0", "ra")
    (first / "README").write_text("not an application")
    assert_that(erlang_code.app_dirs([first, second]), equal_to({"ra": first / "ra-2.2.0"}))


def test_the_directory_holds_a_link_per_needed_application_and_is_rebuilt(tmp_path):
    libs = _libs(tmp_path)
    dest = tmp_path / "run" / "code"
    dest.mkdir(parents=True)
    (dest / "rabbit-3.9.0").symlink_to(tmp_path / "gone")  # left by an older package
    assert_that(erlang_code.plugins_dir(dest, libs), equal_to(dest))
    assert_that([p.name for p in dest.iterdir()], contains_inanyorder(
        "jsx-3.1.0", "mnesia-4.21.3", "public_key-1.13.2", "rabbit-3.10.8",
        "rabbit_common-3.10.8", "ssl-10.8.7"))
    assert_that((dest / "ssl-10.8.7").resolve(), equal_to(libs[1] / "ssl-10.8.7"))


def test_no_directory_when_rabbit_is_not_found(tmp_path):
    dest = tmp_path / "code"
    assert_that(erlang_code.plugins_dir(dest, [tmp_path / "missing"]), is_(none()))
    assert_that(dest.exists(), is_(False))


def _broker_env(root):
    ports = {"rabbitmq": 1, "rabbitmq-dist": 2, "epmd": 3}  # nothing is opened
    return rabbitmq.spec(Ctx(Layout(root), State(ports=ports))).env


def test_the_broker_gets_the_directory_from_the_installed_packages(tmp_path):
    env = _broker_env(tmp_path / "run")
    linked = {p.name.split("-")[0] for p in Path(env["RABBITMQ_PLUGINS_DIR"]).iterdir()}
    assert_that(linked >= {"rabbit", "rabbit_common", "ra", "mnesia", "ssl", "kernel"}, is_(True))


def test_a_run_dir_with_a_colon_keeps_debians_plugins_directory(tmp_path):
    assert_that("RABBITMQ_PLUGINS_DIR" in _broker_env(tmp_path / "a:b"), is_(False))
