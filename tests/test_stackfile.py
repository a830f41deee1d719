"""Stack files as the command line reads them: stack names that stay stack names, secrets that stay encrypted.

Oracles: a stack name is "alphanumeric, hyphens, underscores, or periods" (https://www.pulumi.com/docs/iac/concepts/
stacks/); a config secret is stored in the stack file as ``secure: <ciphertext>`` by ``pulumi config set --secret``
(https://www.pulumi.com/docs/iac/concepts/secrets/).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lync_pchat import stackfile
from lync_pchat.cli import main

ROOT = Path(__file__).resolve().parents[1]
NAME_RULE = (
    "is not a stack name: letters, digits, '-', '_' and '.' only, at most 100, never a path "
    "(https://www.pulumi.com/docs/iac/concepts/stacks/)"
)


@pytest.mark.parametrize(
    "case",
    [
        ("../escape", "../escape"),
        ("..", ".."),
        (".", "."),
        ("a/b", "a/b"),
        ("..\\..\\x", "..\\\\..\\\\x"),
        ("/etc/passwd", "/etc/passwd"),
        ("", ""),
        ("lab\n", "lab\\n"),
        ("x" * 101, "x" * 100),
    ],
)
@pytest.mark.parametrize("command", [["plan"], ["runbook", "{}", "publish"]])
def test_a_stack_name_that_is_a_path_is_refused_and_nothing_is_written(
    case: tuple[str, str], command: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    """``case``: the name given, and as the message shows it (escaped, at most 100 characters)."""
    name, shown = case
    monkeypatch.chdir(tmp_path)
    argv = [part.format(name) for part in command] if len(command) > 1 else [*command, name]
    assert main([*argv, "--stacks-dir", str(ROOT / "stacks")]) == 2
    assert capsys.readouterr() == ("", f"pchat: '{shown}' {NAME_RULE}\n")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", ["lab", "prod-eu.1", "team_a", "..lab", "a..b"])
def test_stack_names_with_dots_inside_are_names(name: str) -> None:
    assert stackfile.check_name(name) == name
    assert stackfile.stack_path(name, Path("stacks")) == Path("stacks", f"Pulumi.{name}.yaml")


@pytest.mark.parametrize(
    "key", ["pchat:adminPassword", "pchat:domainJoinPassword", "pchat:setupPassword", "azure-native:clientSecret"]
)
@pytest.mark.parametrize("value", ["'Plain-Pw-1!'", "{secure: AAABA, extra: 1}", "[a]", "{secret: x}"])
def test_a_password_not_encrypted_in_a_stack_file_is_refused(key: str, value: str) -> None:
    text = f"config:\n  pchat:topology: {{}}\n  {key}: {value}\n"
    with pytest.raises(stackfile.StackFileError) as caught:
        stackfile.parse_config(text, "stacks/Pulumi.prod.yaml")
    assert str(caught.value) == (
        f"stacks/Pulumi.prod.yaml: {key} is in plain text: a password is a secret; remove it and run "
        f"`pulumi config set --secret {key}`, which stores it encrypted (secure: ...)"
    )
    assert "Plain-Pw" not in str(caught.value)


def test_an_encrypted_password_is_read() -> None:
    text = "config:\n  pchat:topology: {}\n  pchat:adminPassword:\n    secure: AAABAJkE0Xq2\n"
    assert stackfile.parse_config(text, "x")["pchat:adminPassword"] == {"secure": "AAABAJkE0Xq2"}


def test_the_plan_command_names_the_plain_password_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Pulumi.prod.yaml"
    path.write_text("config:\n  pchat:topology: {}\n  pchat:setupPassword: Plain-Pw-1!\n")
    assert main(["plan", "prod", "--stacks-dir", str(tmp_path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"pchat: {path}: pchat:setupPassword is in plain text")
    assert "Plain-Pw-1!" not in err
    assert not (tmp_path / "out").exists()
