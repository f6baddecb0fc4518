"""The ``scleropath`` command: the engine's verbs with JSON in and out, protocol review and checks,
and the clinic app's ``serve`` and ``demo``.

The command parses, calls the engine and formats; it holds no clinical logic. Bad input exits with
status 2 and one ``error: FIELD: MESSAGE`` line per problem, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence
from importlib.resources import files
from pathlib import Path
from typing import Any, TextIO

from scleropath import __version__
from scleropath.protocol import Engine, InputError, ProtocolError, load_clinic_protocol, load_protocol
from scleropath.protocol.render import render_markdown

from . import plan_text, text

EXIT_BAD_INPUT = 2

# verb -> (engine method, text formatter)
VERBS: dict[str, tuple[Callable[[Engine, Any], Any], Callable[[Engine, Any], str]]] = {
    "plan": (Engine.plan, plan_text.plan),
    "screen": (Engine.screen, text.screening),
    "check-session": (Engine.check_session, text.session_check),
    "triage": (Engine.triage, text.triage),
    "ceap": (Engine.ceap, text.ceap),
    "vcss": (Engine.vcss, text.vcss),
}


class BadInput(Exception):
    """Input the command cannot use; carries ``field: message`` pairs for stderr."""

    def __init__(self, errors: list[tuple[str, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{f}: {m}" if f else m for f, m in errors))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scleropath", description="Decision support and records for sclerotherapy clinics."
    )
    parser.add_argument("--version", action="version", version=f"scleropath {__version__}")
    verbs = parser.add_subparsers(dest="verb", metavar="VERB", required=True)

    def engine_options(p: argparse.ArgumentParser) -> None:
        p.add_argument(
            "--protocol", metavar="DIR", help="protocol directory (default: the bundled UK protocol)"
        )
        p.add_argument("--clinic", metavar="FILE", help="a clinic's own protocol file, applied on top")

    for verb, help_text in (
        ("plan", "plan an assessment: procedure and options per finding, limits, aftercare"),
        ("screen", "screen a patient for contraindications"),
        ("check-session", "check a session's injections against every limit"),
        ("triage", "triage a reported side effect or complication"),
        ("ceap", "CEAP 2020 clinical classes of one leg"),
        ("vcss", "revised Venous Clinical Severity Score"),
    ):
        p = verbs.add_parser(verb, help=help_text, description=help_text)
        if verb == "plan":
            p.add_argument("file", nargs="?", metavar="FILE", help="JSON request, or - for standard input")
            p.add_argument("--example", action="store_true", help="plan the bundled example assessment")
        else:
            p.add_argument("file", metavar="FILE", help="JSON request, or - for standard input")
        p.add_argument("--format", choices=("json", "text"), default="json")
        engine_options(p)

    protocol = verbs.add_parser("protocol", help="review or check a protocol")
    protocol_verbs = protocol.add_subparsers(dest="protocol_verb", metavar="ACTION", required=True)
    show = protocol_verbs.add_parser("show", help="the protocol with its citations, as Markdown for review")
    engine_options(show)
    show.add_argument("--output", metavar="FILE", help="write to FILE instead of standard output")
    check = protocol_verbs.add_parser(
        "check", help="validate a protocol directory or a clinic's protocol file"
    )
    check.add_argument("path", metavar="PATH")
    check.add_argument("--protocol", metavar="DIR", help="base protocol for a clinic file")

    serve = verbs.add_parser("serve", help="migrate the database and run the clinic app on 127.0.0.1:8000")
    serve.add_argument(
        "--demo", action="store_true", help="load the demo clinic first if the database is empty"
    )
    serve.add_argument("--port", type=int, default=8000)
    verbs.add_parser("demo", help="load the demo clinic into an empty database and print how to sign in")
    verbs.add_parser("send-reminders", help="mark missed check-ins and email reminders (each sent once)")
    export_fhir = verbs.add_parser(
        "export-fhir", help="write a clinic's records as FHIR R4 NDJSON, one file per resource type"
    )
    export_fhir.add_argument("--clinic", required=True, help="the clinic's id or slug")
    export_fhir.add_argument("--output", required=True, metavar="DIR", help="directory for the .ndjson files")
    import_fhir = verbs.add_parser(
        "import-fhir", help="import a FHIR Bundle exported by ScleroPath into an empty clinic"
    )
    import_fhir.add_argument("bundle", metavar="FILE", help="the Bundle (or a directory from export-fhir)")
    import_fhir.add_argument("--clinic", required=True, help="the clinic's id or slug")
    return parser


def _read_json(source: str, stdin: TextIO) -> Any:
    try:
        raw = stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8")
    except OSError as exc:
        raise BadInput([("", f"cannot read {source}: {exc.strerror or exc}")]) from None
    except UnicodeDecodeError:
        raise BadInput([("", f"{source} is not UTF-8 text")]) from None
    try:
        return json.loads(raw)
    except json.JSONDecodeError as exc:
        raise BadInput(
            [("", f"{source} is not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}")]
        ) from None


def _engine(args: argparse.Namespace) -> Engine:
    if args.protocol is not None and not Path(args.protocol).is_dir():
        raise BadInput([("--protocol", f"{args.protocol} is not a directory")])
    return Engine.from_files(args.protocol, args.clinic)


def _run_verb(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    method, formatter = VERBS[args.verb]
    if args.verb == "plan" and args.example and args.file is not None:
        raise BadInput([("", "give a FILE or --example, not both")])
    if args.verb == "plan" and args.example:
        source = str(files("scleropath") / "examples" / "assessment.json")
    elif args.file is None:
        raise BadInput([("", "give a FILE (or - for standard input), or --example")])
    else:
        source = args.file
    data = _read_json(source, stdin)
    engine = _engine(args)
    answer = method(engine, data)
    if args.format == "json":
        out.write(json.dumps(answer.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n")
    else:
        out.write(formatter(engine, answer) + "\n")
    return 0


def _run_protocol(args: argparse.Namespace, out: TextIO) -> int:
    if args.protocol_verb == "show":
        document = render_markdown(_engine(args).protocol)
        if args.output:
            try:
                Path(args.output).write_text(document, encoding="utf-8")
            except OSError as exc:
                raise BadInput([("", f"cannot write {args.output}: {exc.strerror or exc}")]) from None
            out.write(f"Wrote {args.output}\n")
        else:
            out.write(document)
        return 0
    path = Path(args.path)
    if path.is_dir():
        protocol = load_protocol(path)
    elif path.is_file():
        protocol = load_clinic_protocol(path, load_protocol(args.protocol))
    else:
        raise BadInput([("", f"{path} is neither a protocol directory nor a file")])
    label = f"{protocol.id} {protocol.version}"
    if protocol.clinic_id:
        label += f" with {protocol.clinic_id} {protocol.clinic_version}"
    out.write(
        f"OK: {label}: {len(protocol.refs)} references, {len(protocol.products)} products, "
        f"{len(protocol.procedures.rules)} procedure rules, {len(protocol.screening.items)} screening items, "
        f"{len(protocol.symptoms)} symptoms\n"
    )
    return 0


def _run_fhir(args: argparse.Namespace, out: TextIO) -> int:
    """``export-fhir`` and ``import-fhir``: the Django commands of the same names (progress and
    refusals on stderr; a refused import exits with status 1 and writes nothing)."""
    from . import server

    server._setup()
    from django.core.management import CommandError, call_command

    try:
        if args.verb == "export-fhir":
            call_command("export_fhir", clinic=args.clinic, output=args.output, stdout=out)
        else:
            call_command("import_fhir", args.bundle, clinic=args.clinic, stdout=out)
    except CommandError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return 1
    return 0


def _dispatch(args: argparse.Namespace, out: TextIO, stdin: TextIO) -> int:
    if args.verb in VERBS:
        return _run_verb(args, out, stdin)
    if args.verb == "protocol":
        return _run_protocol(args, out)
    from . import server  # Django is only imported for the clinic app's verbs

    if args.verb == "serve":
        return server.serve(port=args.port, demo=args.demo, out=out)
    if args.verb == "send-reminders":
        return server.management("send_reminders", out=out)
    if args.verb in ("export-fhir", "import-fhir"):
        return _run_fhir(args, out)
    return server.demo(out=out)


def main(
    argv: Sequence[str] | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    stdin: TextIO | None = None,
) -> int:
    out = out or sys.stdout
    err = err or sys.stderr
    stdin = stdin or sys.stdin
    args = _parser().parse_args(argv)
    try:
        return _dispatch(args, out, stdin)
    except BrokenPipeError:
        # The reader went away (`scleropath protocol show | head`): stop quietly, and point stdout
        # at /dev/null so the interpreter's final flush does not raise again.
        if out is sys.stdout:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except InputError as exc:
        for e in exc.errors:
            err.write(f"error: {e['field']}: {e['message']}\n" if e["field"] else f"error: {e['message']}\n")
    except ProtocolError as exc:
        err.write(f"error: {exc}\n")
    except BadInput as exc:
        for field, message in exc.errors:
            err.write(f"error: {field}: {message}\n" if field else f"error: {message}\n")
    return EXIT_BAD_INPUT


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
