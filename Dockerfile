# Seismo's two node images from one build, from the repository root: docker build --target silo . (or --target api).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /source
# Project files first, so the restore layer is reused while only code changes.
COPY Directory.Build.props Directory.Packages.props ./
COPY src/Domain/Domain.csproj src/Domain/
COPY src/Grains.Interfaces/Grains.Interfaces.csproj src/Grains.Interfaces/
COPY src/Grains/Grains.csproj src/Grains/
COPY src/Silo/Silo.csproj src/Silo/
COPY src/Api/Api.csproj src/Api/
RUN dotnet restore src/Silo/Silo.csproj && dotnet restore src/Api/Api.csproj
COPY src/ src/
RUN dotnet publish src/Silo/Silo.csproj -c Release --no-restore -o /app/silo \
 && dotnet publish src/Api/Api.csproj -c Release --no-restore -o /app/api

# What every node shares: cluster mode, and where data and the shared archive volume are mounted.
FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS node
WORKDIR /app
ENV Seismo__Mode=Cluster \
    SEISMO_DATA_DIR=/var/lib/seismo/data \
    Seismo__ArchiveDir=/var/lib/seismo/archives

FROM node AS silo
COPY --from=build /app/silo .
# Silo-to-silo and gateway (client) ports; Seismo:Cluster:AdvertisedAddress names this container to the others.
# 9464: /metrics for Prometheus when Seismo__MetricsPort=9464 is set (docker-compose.yml does).
EXPOSE 11111 30000 9464
ENTRYPOINT ["dotnet", "Seismo.Silo.dll"]

# An API node: an Orleans client of the silos.
FROM node AS api
COPY --from=build /app/api .
EXPOSE 8080
ENV ASPNETCORE_URLS=http://+:8080
ENTRYPOINT ["dotnet", "Seismo.Api.dll"]
