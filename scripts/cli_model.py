"""Reads the AWS CLI's command model out of awscli's own command driver and
renders it in the format scripts/generate-cli-model documents. Imported by that
script (which pins the versions); not meant to run alone."""
import argparse
import hashlib

import yaml
from awscli.arguments import CLIArgument
from awscli.clidriver import ServiceCommand, ServiceOperation, create_clidriver
from awscli.customizations.commands import BasicCommand
from awscli.customizations.paginate import PageArgument
from awscli.customizations.streamingoutputarg import StreamingOutputArgument

SCALARS = {
    "string": "s", "integer": "i", "int": "i", "long": "l", "float": "f", "double": "d",
    "boolean": "b", "blob": "B", "timestamp": "t",
}
# Added by awscli to every API operation; written once in the header (J lines).
INPUT_ARGUMENTS = ("cli-input-json", "generate-cli-skeleton")
PAGE_ARGUMENTS = ("starting-token", "page-size", "max-items")
# The `aws s3` commands and the S3 API operations that carry their settings.
S3_FAMILY = {
    "cp": ["put-object", "get-object", "copy-object", "head-object", "create-multipart-upload"],
    "mv": ["put-object", "get-object", "copy-object", "head-object", "create-multipart-upload"],
    "sync": ["put-object", "get-object", "copy-object", "head-object", "create-multipart-upload"],
    "rm": ["delete-object"],
    "ls": ["list-objects-v2"],
}


class Section:
    """One top-level command's lines, with its enums and structures numbered."""

    def __init__(self, name, service, flags):
        self.lines = [f"S\t{name}\t{service or '-'}\t{flags}"]
        self.enums = {}
        self.structures = {}
        self.structure_lines = []

    def enum(self, values):
        key = tuple(values)
        if key not in self.enums:
            self.enums[key] = len(self.enums)
        return self.enums[key]

    def structure(self, shape):
        """Numbers a structure by its name and member names (custom commands'
        schemas make shapes that share names), before its members, so
        recursive shapes end."""
        key = (shape.name, tuple(shape.members))
        if key in self.structures:
            return self.structures[key]
        number = len(self.structures)
        self.structures[key] = number
        self.structure_lines.append(None)
        required = set(getattr(shape, "required_members", None) or shape.metadata.get("required", []))
        members = [
            f"{'*' if name in required else ''}{name}:{type_of(member, self)}"
            for name, member in shape.members.items()
        ]
        kind = "U" if getattr(shape, "is_union", False) or shape.metadata.get("union") else "T"
        self.structure_lines[number] = "\t".join([kind, str(number)] + members)
        return number

    def render(self):
        lines = list(self.lines)
        for values, number in sorted(self.enums.items(), key=lambda item: item[1]):
            lines.append("\t".join(["E", str(number)] + [clean(v) for v in values]))
        lines.extend(self.structure_lines)
        return "\n".join(lines) + "\n"


def clean(text):
    return " ".join(str(text).split())


def type_of(shape, section):
    """The compact type expression of a botocore shape."""
    kind = shape.type_name
    if kind == "string":
        values = getattr(shape, "enum", None) or shape.metadata.get("enum")
        return f"e{section.enum(values)}" if values else "s"
    if kind in SCALARS:
        return SCALARS[kind]
    if kind == "structure":
        if shape.metadata.get("document"):
            return "j"
        return f"S{section.structure(shape)}"
    if kind == "list":
        return "[" + type_of(shape.member, section)
    if kind == "map":
        return "{" + type_of(shape.key, section) + type_of(shape.value, section)
    raise ValueError(f"unknown shape type {kind} ({shape.name})")


def parser_actions(argument):
    """The argparse actions an argument adds: how the CLI really parses it."""
    parser = argparse.ArgumentParser(add_help=False, prog="probe")
    argument.add_to_parser(parser)
    return parser._actions


def arity(action):
    nargs = action.nargs
    if nargs == 0:
        return "0"
    if nargs is None:
        return "1"
    return str(nargs)


def option_lines(arg_table, section):
    """The A lines of an argument table, and whether it has the implicit input
    arguments (J) and paging arguments (P, with the page size's type)."""
    lines = []
    negated = set()
    for name, argument in arg_table.items():
        group = getattr(argument, "group_name", None)
        if name.startswith("no-") and group and group != name and group in arg_table:
            negated.add(group)
    has_input = all(name in arg_table for name in INPUT_ARGUMENTS)
    page = None
    for name, argument in arg_table.items():
        if isinstance(argument, PageArgument):
            if name == "max-items" and page is None:
                page = SCALARS.get(argument.cli_type_name, "i")
            if name == "page-size":
                page = SCALARS.get(argument.cli_type_name, "i")
            continue
        if has_input and name in INPUT_ARGUMENTS:
            continue
        group = getattr(argument, "group_name", None)
        if name.startswith("no-") and group and group != name and group in negated:
            continue
        actions = parser_actions(argument)
        action = next((a for a in actions if a.dest != "help"), None)
        if action is None:
            continue
        positional = not action.option_strings or isinstance(argument, StreamingOutputArgument)
        flags = arity(action)
        if argument.required or action.required:
            flags += "r"
        if getattr(argument, "_UNDOCUMENTED", False):
            flags += "h"
        if name in negated:
            flags += "n"
        if positional:
            flags += "p"
        option = name if positional else f"--{name}"
        lines.append("\t".join(["A", option, argument_type(argument, action, section), flags, member_name(argument)]))
    has_page_size = "page-size" in arg_table and isinstance(arg_table["page-size"], PageArgument)
    if page is not None and not has_page_size:
        page = "-"
    return lines, has_input, page


def argument_type(argument, action, section):
    if action.nargs == 0:
        return "b"
    model = getattr(argument, "argument_model", None)
    choices = list(action.choices or getattr(argument, "choices", None) or [])
    if model is not None and getattr(model, "type_name", None):
        if choices and model.type_name == "string":
            return f"e{section.enum(choices)}"
        return type_of(model, section)
    if choices:
        return f"e{section.enum(choices)}"
    return SCALARS.get(getattr(argument, "cli_type_name", "string") or "string", "s")


def member_name(argument):
    """The API member an option sets (its serialized name), when it sets one."""
    if isinstance(argument, CLIArgument) and not isinstance(argument, (PageArgument, StreamingOutputArgument)):
        return getattr(argument, "_serialized_name", None) or ""
    return ""


def subcommands(command):
    if isinstance(command, ServiceCommand):
        return command._get_command_table()
    if isinstance(command, BasicCommand):
        return command.subcommand_table
    return {}


def walk(section, path, command, counts):
    """Writes a command's O and A lines, then its subcommands'."""
    table = subcommands(command)
    hidden = "h" if getattr(command, "_UNDOCUMENTED", False) else ""
    if path or not isinstance(command, ServiceCommand):
        if isinstance(command, ServiceOperation):
            lines, has_input, page = option_lines(command.arg_table, section)
            flags = ("j" if has_input else "") + (f"p{page}" if page else "")
            if any(isinstance(a, StreamingOutputArgument) for a in command.arg_table.values()):
                flags += "o"
            api = command._operation_model.name
        else:
            lines, has_input, page = option_lines(command.arg_table, section)
            flags = "c" + ("g" if table else "") + ("j" if has_input else "") + (f"p{page}" if page else "")
            api = "-"
            if hasattr(command, "_operation_model"):
                api = command._operation_model.name
        section.lines.append(f"O\t{' '.join(path)}\t{api}\t{flags}{hidden}")
        section.lines.extend(lines)
        counts["operations"] += 1
        counts["options"] += len(lines)
        if section.lines[0].split("\t")[1] == "s3" and len(path) == 1 and path[0] in S3_FAMILY:
            section.lines.extend(s3_equivalents(path[0], command))
    for name in sorted(table):
        walk(section, path + [name], table[name], counts)


def s3_equivalents(name, command):
    """X lines: each `aws s3` option that sets an S3 API member, with the
    s3api option that sets the same member. Found by running awscli's own
    mapping from s3 options to request parameters on marked values."""
    from awscli.customizations.s3.utils import RequestParamsMapper
    from botocore import xform_name

    markers = {}
    cli_params = {}
    for cli_name in command.arg_table:
        py_name = cli_name.replace("-", "_")
        marker = f"@{py_name}"
        markers[marker] = cli_name
        cli_params[py_name] = marker
    cli_params["grants"] = [f"{p}=@grants" for p in ("read", "readacl", "writeacl", "full")]
    cli_params["metadata"] = {"k": "@metadata"}
    lines = []
    for operation in S3_FAMILY[name]:
        mapper = getattr(RequestParamsMapper, "map_" + operation.replace("-", "_") + "_params", None)
        if mapper is None:
            continue
        request = {}
        mapper(request, dict(cli_params))
        for member, value in request.items():
            marker = value.get("k") if isinstance(value, dict) else value
            if marker in markers:
                lines.append((markers[marker], operation, xform_name(member, "-")))
    # By option, then in S3_FAMILY's order: the upload's spelling first.
    ordered = sorted(set(lines), key=lambda line: (line[0], S3_FAMILY[name].index(line[1]), line[2]))
    return [f"X\t--{option}\ts3api {operation}\t--{other}" for option, operation, other in ordered]


def render(v2_list, inputs_digest, generated):
    import awscli
    import botocore

    with open(v2_list, encoding="utf-8") as handle:
        v2 = yaml.safe_load(handle)
    driver = create_clidriver()
    table = driver._get_command_table()
    counts = {"services": 0, "operations": 0, "options": 0}
    header_section = Section("-", None, "")
    header = []
    for name, argument in driver._get_argument_table().items():
        if name in v2.get("global-options-removed", []):
            continue
        lines, _, _ = option_lines({name: argument}, header_section)
        header.extend("G" + line[1:] for line in lines)
    sections = {}
    for name in sorted(table):
        if name in v2.get("commands-removed", {}).get("", []):
            continue
        command = table[name]
        is_service = isinstance(command, ServiceCommand)
        service = command._service_name if is_service else None
        flags = ("" if is_service else "c") + ("h" if getattr(command, "_UNDOCUMENTED", False) else "")
        section = Section(name, service, flags)
        walk(section, [], command, counts)
        sections[name] = section
        counts["services"] += 1
    # Paging options of every operation with flag `p`; `@` stands for the type
    # the flag names (an integer when it names none).
    header += ["P\t--starting-token\ts\t1\t", "P\t--page-size\t@\t1\t", "P\t--max-items\t@\t1\t"]
    apply_v2(v2, sections, header_section, header, counts)
    bodies = [(name, sections[name].render()) for name in sorted(sections)]
    # Counted from what is written, after v2's removals and replacements.
    counts["services"] = len(bodies)
    counts["operations"] = sum(text.count("\nO\t") for _, text in bodies)
    counts["options"] = sum(text.count("\nA\t") for _, text in bodies)
    body = "".join(text for _, text in bodies).encode("utf-8")
    index = []
    offset = 0
    for name, text in bodies:
        size = len(text.encode("utf-8"))
        index.append(f"I\t{name}\t{offset}\t{size}")
        offset += size
    lines = [
        "#kbtool-cli-model\t1",
        f"#source\tbotocore {botocore.__version__} and awscli {awscli.__version__} (PyPI, Apache-2.0), "
        "with CLI v2's differences from scripts/cli-model-v2.yaml",
        f"#botocore\t{botocore.__version__}",
        f"#awscli\t{awscli.__version__}",
        f"#generated\t{generated}",
        "#counts\t" + "\t".join(f"{k} {v}" for k, v in counts.items()),
        f"#body-sha256\t{hashlib.sha256(body).hexdigest()}",
        f"#inputs-sha256\t{inputs_digest}",
    ]
    header_enums = header_section.render().split("\n")[1:]
    lines += [line for line in header_enums if line.startswith("E\t")]
    lines += header
    lines += index
    lines.append("#body")
    return "\n".join(lines) + "\n" + body.decode("utf-8"), counts


def apply_v2(v2, sections, header_section, header, counts):
    """Applies the hand-kept list of CLI v2's differences."""
    for entry in v2.get("global-options", []):
        header.append(v2_option_line("G", entry, header_section))
    for entry in v2.get("input-options", []):
        header.append(v2_option_line("J", entry, header_section))
    for entry in v2.get("page-options", []):
        header.append(v2_option_line("P", entry, header_section))
    # A v2 line replaces v1's line of the same kind and name, in its place.
    by_name = {}
    for line in header:
        by_name[tuple(line.split("\t")[:2])] = line
    header[:] = [by_name[key] for key in dict.fromkeys(tuple(line.split("\t")[:2]) for line in header)]
    for top, paths in (v2.get("commands-removed") or {}).items():
        if not top or top not in sections:
            continue
        section = sections[top]
        section.lines = remove_commands(section.lines, set(paths))
    for entry in v2.get("commands", []):
        top, *path = entry["command"].split()
        section = sections.get(top)
        if section is None:
            section = Section(top, None, "c2")
            sections[top] = section
            counts["services"] += 1
        if not path and "options" not in entry:
            continue
        # v2's command replaces one of the same name (`sso logout` replaces the
        # API operation of that name).
        section.lines = remove_commands(section.lines, {" ".join(path)}, exact=True)
        flags = entry.get("flags", "c") + "2"
        section.lines.append(f"O\t{' '.join(path)}\t-\t{flags}")
        counts["operations"] += 1
        for option in entry.get("options", []):
            section.lines.append(v2_option_line("A", option, section))
            counts["options"] += 1
    for entry in v2.get("options-added", []):
        top, *path = entry["command"].split()
        section = sections[top]
        position = section.lines.index(next(line for line in section.lines
                                            if line.startswith(f"O\t{' '.join(path)}\t")))
        end = position + 1
        while end < len(section.lines) and section.lines[end].startswith(("A\t", "X\t")):
            end += 1
        added = [v2_option_line("A", option, section) for option in entry["options"]]
        section.lines[end:end] = added
        counts["options"] += len(added)


def remove_commands(lines, paths, exact=False):
    """The lines without the commands at `paths` (and, unless `exact`, their
    subcommands)."""
    kept = []
    dropping = False
    for line in lines:
        if line.startswith("O\t"):
            path = line.split("\t")[1]
            dropping = path in paths or (not exact and any(path.startswith(p + " ") for p in paths))
        elif not line.startswith(("A\t", "X\t")):
            dropping = False
        if not dropping:
            kept.append(line)
    return kept


def v2_option_line(kind, entry, section):
    """An option written by hand: `name`, `type` (the compact type; `choices`
    makes an enum), `flags`."""
    kind_type = entry.get("type", "s")
    if entry.get("choices"):
        kind_type = f"e{section.enum(entry['choices'])}"
    return "\t".join([kind, entry["name"], kind_type, str(entry.get("flags", "1")), entry.get("member", "")])
