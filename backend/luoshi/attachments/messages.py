from luoshi.i18n import register

register({
    "attachments.not_found": {"zh": "附件不存在", "en": "The attachment does not exist"},
    "attachments.too_large": {
        "zh": "附件超过大小限制（{limit}）", "en": "The file is larger than the limit ({limit})",
    },
    "attachments.type_not_allowed": {
        "zh": "不支持的文件类型，仅允许 pdf、ofd、doc、docx、xls、xlsx、jpg、png",
        "en": "File type not allowed; use pdf, ofd, doc, docx, xls, xlsx, jpg or png",
    },
    "attachments.extension_mismatch": {
        "zh": "文件扩展名与内容不符", "en": "The file name's extension does not match its content",
    },
    "attachments.empty": {"zh": "文件为空", "en": "The file is empty"},
    "attachments.file_missing": {
        "zh": "附件文件已丢失，请联系管理员", "en": "The stored file is missing; contact the administrator",
    },
})

register({
    "attachments.task_closed": {
        "zh": "事项已办结或已撤销，不能再上传附件", "en": "The task is closed; files can no longer be added",
    },
})
