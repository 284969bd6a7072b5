"""Messages in zh-CN (default) and English, keyed by the stable error code."""

from typing import Any

from starlette.requests import Request

Lang = str  # "zh" or "en"

MESSAGES: dict[str, dict[str, str]] = {
    "request.invalid": {"zh": "请求无效", "en": "The request is invalid"},
    "request.method_not_allowed": {"zh": "不支持该请求方法", "en": "Method not allowed"},
    "resource.not_found": {"zh": "资源不存在", "en": "Not found"},
    "resource.conflict": {"zh": "操作冲突", "en": "Conflict"},
    "resource.version_mismatch": {
        "zh": "数据已被他人修改，请刷新后重试",
        "en": "The record was changed by someone else; reload and try again",
    },
    "resource.version_required": {
        "zh": "缺少 If-Match 版本号",
        "en": "The If-Match header with the record version is required",
    },
    "validation.failed": {"zh": "输入有误，请检查标注的字段", "en": "Some fields are invalid"},
    "validation.failed.title": {"zh": "输入校验失败", "en": "Validation failed"},
    "auth.unauthenticated": {"zh": "请先登录", "en": "Authentication required"},
    "auth.invalid_credentials": {"zh": "用户名或密码错误", "en": "Wrong username or password"},
    "auth.account_locked": {
        "zh": "登录失败次数过多，账号已锁定至 {locked_until}",
        "en": "Too many failed sign-ins; the account is locked until {locked_until}",
    },
    "auth.account_disabled": {"zh": "账号已停用", "en": "The account is disabled"},
    "auth.token_invalid": {"zh": "登录凭证无效", "en": "The token is invalid"},
    "auth.token_expired": {"zh": "登录已过期，请重新登录", "en": "The token has expired"},
    "auth.session_ended": {
        "zh": "会话已结束，请重新登录", "en": "The session has ended; sign in again",
    },
    "auth.refresh_reused": {
        "zh": "刷新凭证已被使用，为安全起见已注销该会话",
        "en": "The refresh token was already used; the session was revoked for safety",
    },
    "auth.password_policy": {
        "zh": "密码不符合安全策略：{reason}", "en": "The password breaks the policy: {reason}",
    },
    "auth.password_wrong": {"zh": "原密码错误", "en": "The current password is wrong"},
    "permission.denied": {"zh": "无权执行该操作", "en": "You are not allowed to do this"},
    "org.unit_code_taken": {"zh": "单位编码已存在", "en": "The unit code is already in use"},
    "org.unit_cycle": {
        "zh": "不能把单位移到其自身或下级单位之下",
        "en": "A unit cannot be moved under itself or its descendants",
    },
    "org.parent_not_found": {"zh": "上级单位不存在", "en": "The parent unit does not exist"},
    "org.unit_not_found": {"zh": "单位不存在", "en": "The unit does not exist"},
    "users.username_taken": {"zh": "用户名已存在", "en": "The username is already in use"},
    "users.separation_of_duties": {
        "zh": "系统管理员、安全管理员、安全审计员须由不同人员担任（三员分立）",
        "en": "Admin, security and audit duties must be held by different users",
    },
    "users.cannot_disable_self": {
        "zh": "不能停用自己的账号", "en": "You cannot disable your own account",
    },
    "database.unavailable": {
        "zh": "数据库繁忙或暂不可用，请稍后重试", "en": "The database is busy or unavailable; try again shortly",
    },
    "health.database_unreachable": {"zh": "数据库不可用", "en": "The database is unreachable"},
    "health.migrations_pending": {
        "zh": "数据库结构不是最新版本，请执行迁移", "en": "Database migrations are pending",
    },
    "audit.chain_broken": {"zh": "审计日志链校验失败", "en": "The audit chain is broken"},
}

PASSWORD_REASONS: dict[str, dict[str, str]] = {
    "too_short": {"zh": "长度至少 {n} 位", "en": "at least {n} characters"},
    "classes": {
        "zh": "须包含大写字母、小写字母、数字、符号中的至少 {n} 类",
        "en": "at least {n} of: upper case, lower case, digit, symbol",
    },
    "contains_username": {"zh": "不得包含用户名", "en": "must not contain the username"},
}

# Pydantic error types rendered in Chinese; English uses Pydantic's own message.
FIELD_MESSAGES_ZH: dict[str, str] = {
    "missing": "必填项",
    "string_too_short": "长度不能少于 {min_length}",
    "string_too_long": "长度不能超过 {max_length}",
    "string_type": "应为文本",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "float_parsing": "应为数字",
    "bool_parsing": "应为是或否",
    "date_from_datetime_parsing": "应为日期（YYYY-MM-DD）",
    "date_parsing": "应为日期（YYYY-MM-DD）",
    "date_type": "应为日期（YYYY-MM-DD）",
    "datetime_parsing": "应为时间（ISO 8601）",
    "enum": "取值应为：{expected}",
    "literal_error": "取值应为：{expected}",
    "greater_than_equal": "不能小于 {ge}",
    "less_than_equal": "不能大于 {le}",
    "greater_than": "应大于 {gt}",
    "less_than": "应小于 {lt}",
    "list_type": "应为列表",
    "too_short": "至少 {min_length} 项",
    "too_long": "最多 {max_length} 项",
    "extra_forbidden": "不允许的字段",
    "json_invalid": "JSON 格式错误",
    "model_attributes_type": "格式错误",
    "dict_type": "应为对象",
    "value_error": "{reason}",
}


def request_language(request: Request) -> Lang:
    header = request.headers.get("accept-language", "")
    for part in header.split(","):
        tag = part.split(";")[0].strip().lower()
        if tag.startswith("en"):
            return "en"
        if tag.startswith("zh"):
            return "zh"
    return "zh"


def message(code: str, lang: Lang, default: str | None = None, **params: Any) -> str:
    entry = MESSAGES.get(code)
    if entry is None:
        return default if default is not None else code
    text = entry.get(lang) or entry["zh"]
    try:
        return text.format(**params)
    except (KeyError, IndexError):
        return text


def password_reason(reason: str, lang: Lang, **params: Any) -> str:
    return PASSWORD_REASONS[reason][lang].format(**params)


def field_message(err: Any, lang: Lang) -> str:
    if lang == "en":
        return str(err.get("msg", "invalid"))
    template = FIELD_MESSAGES_ZH.get(str(err.get("type")))
    if template is None:
        return str(err.get("msg", "格式错误"))
    ctx = dict(err.get("ctx") or {})
    if "error" in ctx:
        ctx.setdefault("reason", str(ctx["error"]))
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.replace("{", "").replace("}", "")


def register(messages: dict[str, dict[str, str]]) -> None:
    """A domain adds its own codes; a duplicate code is a programming error."""
    clash = MESSAGES.keys() & messages.keys()
    if clash:
        raise ValueError(f"message codes registered twice: {sorted(clash)}")
    MESSAGES.update(messages)
