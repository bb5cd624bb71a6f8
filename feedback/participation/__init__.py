"""居民参与: 居民点单 (needs), 微心愿 (wishes), 资源清单 (resources), 项目清单 (projects)."""
