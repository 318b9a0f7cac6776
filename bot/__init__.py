"""trygghetsbot: a Telegram bot for a local crime-prevention council (brottsförebyggande råd)."""
