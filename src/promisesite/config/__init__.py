"""promisesite.yaml → a frozen `Config`: found, read and checked here; every error names the file and line."""

from .errors import ConfigError
from .loading import levels_in, load_config
from .paths import check_inside
from .settings import CONFIG_NAME, Config, normal_base_url

__all__ = ["CONFIG_NAME", "Config", "ConfigError", "check_inside", "levels_in", "load_config", "normal_base_url"]
