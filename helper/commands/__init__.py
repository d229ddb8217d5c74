"""Subcommands with a module of their own, registered on the `danhao` group."""


def COMMANDS():
    commands = []
    for module_name, attr in (("detect", "detect"), ("track", "track"), ("bench", "bench"), ("demo", "demo"),
                              ("autostart", "autostart"),
                              # issue #13 and #12 commands, each in its own module
                              ("operators", "operators"), ("purge", "purge"), ("backup", "backup"),
                              ("export_all", "export_all"), ("import_dir", "import_dir"), ("export", "export")):
        try:
            module = __import__(f"helper.commands.{module_name}", fromlist=[attr])
        except ModuleNotFoundError as err:
            if err.name == f"helper.commands.{module_name}":
                continue  # not built yet
            raise
        commands.append(getattr(module, attr))
    return commands
