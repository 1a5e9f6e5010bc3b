redis_token = "Rk4pZ9mQ2wX7vL3tN8sBc5Hy"
