class Config:
    SECRET_KEY = "dev"  # the same secret everywhere, in the code for anyone to read
    DEBUG = True        # debug mode everywhere, production included


class DevelopmentConfig(Config):
    pass


class TestingConfig(Config):
    pass


class ProductionConfig(Config):
    pass
