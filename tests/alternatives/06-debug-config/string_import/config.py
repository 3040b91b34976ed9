

class DevelopmentConfig:
    DEBUG = True
    TEMPLATES_AUTO_RELOAD = True


class TestingConfig:
    TESTING = True


class ProductionConfig:
    DEBUG = False
