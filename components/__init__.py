"""Reusable Pulumi components that turn a Persistent Chat plan into Azure resources."""

from .deployment import DeploymentArgs, PersistentChatDeployment
from .persistent_chat import PersistentChat, PersistentChatArgs
from .pool import PersistentChatPool, PoolArgs
from .secret_store import SecretStore, SecretStoreArgs
from .site_network import SiteNetwork, SiteNetworkArgs
from .sql_server import SqlServer, SqlServerArgs
from .store_group import StoreGroup, StoreGroupArgs
from .windows_server import WindowsServer, WindowsServerArgs

__all__ = [
    "DeploymentArgs",
    "PersistentChat",
    "PersistentChatArgs",
    "PersistentChatDeployment",
    "PersistentChatPool",
    "PoolArgs",
    "SecretStore",
    "SecretStoreArgs",
    "SiteNetwork",
    "SiteNetworkArgs",
    "SqlServer",
    "SqlServerArgs",
    "StoreGroup",
    "StoreGroupArgs",
    "WindowsServer",
    "WindowsServerArgs",
]
