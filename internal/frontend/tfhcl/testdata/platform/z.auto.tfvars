extra_logs = ["authenticator"]
